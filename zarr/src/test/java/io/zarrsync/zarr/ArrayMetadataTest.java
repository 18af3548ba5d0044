package io.zarrsync.zarr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.DataType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArrayMetadataTest {
  private static ArrayMetadata of(DataType type, int stringLength, Object fill) {
    return new ArrayMetadata(
        List.of(10L, 20L),
        List.of(5, 5),
        type,
        stringLength,
        fill,
        Codec.zstd(1),
        List.of("y", "x"),
        Map.of());
  }

  @Test
  void attributesAreCanonicalAndImmutable() {
    Map<String, Object> attrs = new HashMap<>();
    attrs.put("f", 0.01f);
    attrs.put("i", 3);
    attrs.put("s", (short) 2);
    attrs.put("d", new double[] {1.5, Double.NaN});
    attrs.put("l", new ArrayList<>(List.of(1, "a")));
    attrs.put("n", null);
    attrs.put("big", new BigInteger("18446744073709551615"));
    attrs.put("small", BigInteger.TEN);
    ArrayMetadata m =
        new ArrayMetadata(
            List.of(3L), List.of(3), DataType.INT, 0, null, null, List.of("t"), attrs);
    assertThat(m.attributes())
        .containsEntry("f", (double) 0.01f)
        .containsEntry("i", 3L)
        .containsEntry("s", 2L)
        .containsEntry("d", List.of(1.5, Double.NaN))
        .containsEntry("l", List.of(1L, "a"))
        .containsEntry("n", null)
        .containsEntry("big", new BigInteger("18446744073709551615"))
        .containsEntry("small", 10L);
    assertThat(new ArrayList<>(m.attributes().keySet())).isSorted();
    assertThat(m.compressor()).isEqualTo(Codec.none());
    assertThatThrownBy(() -> m.attributes().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<Object>) m.attributes().get("l")).add(2))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void fillValuesAreCanonical() {
    assertThat(of(DataType.SHORT, 0, -32768).fillValue()).isEqualTo(-32768L);
    assertThat(of(DataType.SHORT, 0, -32768.0).fillValue()).isEqualTo(-32768L);
    assertThat(of(DataType.FLOAT, 0, Float.NaN).fillValue()).isEqualTo(Double.NaN);
    assertThat(of(DataType.DOUBLE, 0, 1).fillValue()).isEqualTo(1.0);
    assertThat(of(DataType.ULONG, 0, new BigInteger("18446744073709551614")).fillValue())
        .isEqualTo(new BigInteger("18446744073709551614"));
    assertThat(of(DataType.ULONG, 0, new BigInteger("5")).fillValue()).isEqualTo(5L);
    assertThat(of(DataType.UINT, 0, 4294967295L).fillValue()).isEqualTo(4294967295L);
    assertThat(of(DataType.CHAR, 8, "ab\0\0").fillValue()).isEqualTo("ab");
    assertThat(of(DataType.CHAR, 0, "\0").fillValue()).isEqualTo("");
    assertThat(of(DataType.STRING, 0, "").fillValue()).isEqualTo("");
  }

  @Test
  void badFillValuesAreRejected() {
    assertThatThrownBy(() -> of(DataType.BYTE, 0, 128))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("range");
    assertThatThrownBy(() -> of(DataType.UBYTE, 0, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> of(DataType.ULONG, 0, -1L))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> of(DataType.INT, 0, 1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> of(DataType.INT, 0, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> of(DataType.INT, 0, "1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> of(DataType.FLOAT, 0, "NaN"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> of(DataType.CHAR, 3, "abcd"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> of(DataType.CHAR, 3, "\u0100"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> of(DataType.STRING, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void structureIsValidated() {
    assertThatThrownBy(
            () ->
                new ArrayMetadata(
                    List.of(1L), List.of(1, 1), DataType.INT, 0, null, null, null, null))
        .hasMessageContaining("rank");
    assertThatThrownBy(
            () ->
                new ArrayMetadata(List.of(1L), List.of(0), DataType.INT, 0, null, null, null, null))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(
            () ->
                new ArrayMetadata(
                    List.of(-1L), List.of(1), DataType.INT, 0, null, null, null, null))
        .hasMessageContaining("negative");
    assertThatThrownBy(
            () ->
                new ArrayMetadata(
                    List.of(1L), List.of(1), DataType.INT, 0, null, null, List.of("a", "b"), null))
        .hasMessageContaining("dimensions");
    assertThatThrownBy(() -> of(DataType.SHORT, 4, null)).hasMessageContaining("CHAR only");
    assertThatThrownBy(() -> of(DataType.CHAR, 1, null)).hasMessageContaining("stringLength 0");
    assertThatThrownBy(
            () ->
                new ArrayMetadata(
                    List.of(1L),
                    List.of(1),
                    DataType.INT,
                    0,
                    null,
                    null,
                    null,
                    Map.of(ArrayMetadata.DIMENSIONS_ATTRIBUTE, List.of("x"))))
        .hasMessageContaining(ArrayMetadata.DIMENSIONS_ATTRIBUTE);
    assertThatThrownBy(
            () ->
                new ArrayMetadata(
                    List.of(100_000L, 100_000L),
                    List.of(100_000, 100_000),
                    DataType.INT,
                    0,
                    null,
                    null,
                    null,
                    null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new ArrayMetadata(
                    List.of(1L),
                    List.of(1),
                    DataType.INT,
                    0,
                    null,
                    null,
                    null,
                    Map.of("o", new Object())))
        .hasMessageContaining("attributes.o");
  }

  @Test
  void helpers() {
    ArrayMetadata m = of(DataType.CHAR, 8, null);
    assertThat(m.rank()).isEqualTo(2);
    assertThat(m.shapeArray()).containsExactly(10L, 20L);
    assertThat(m.chunksArray()).containsExactly(5, 5);
    assertThat(m.chunkArrayShape()).containsExactly(5, 5, 8);
    assertThat(of(DataType.CHAR, 0, null).chunkArrayShape()).containsExactly(5, 5);
    assertThat(m.withShape(List.of(11L, 20L)).shape()).containsExactly(11L, 20L);
    assertThat(m.withAttributes(Map.of("a", 1)).attributes()).containsEntry("a", 1L);
    assertThat(m.withShape(List.of(10L, 20L))).isEqualTo(m);
  }
}
