package io.zarrsync.zarr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.DataType;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class V2MetadataTest {
  /** Every dtype with representative fills: type, string length, fill, expected dtype, JSON. */
  static Stream<Arguments> dtypesAndFills() {
    List<Arguments> out = new ArrayList<>();
    out.add(Arguments.of(DataType.BYTE, 0, -127, "|i1", "-127"));
    out.add(Arguments.of(DataType.BYTE, 0, null, "|i1", "null"));
    out.add(Arguments.of(DataType.UBYTE, 0, 255, "|u1", "255"));
    out.add(Arguments.of(DataType.SHORT, 0, -32768, "<i2", "-32768"));
    out.add(Arguments.of(DataType.USHORT, 0, 65535, "<u2", "65535"));
    out.add(Arguments.of(DataType.INT, 0, -2147483647, "<i4", "-2147483647"));
    out.add(Arguments.of(DataType.UINT, 0, 4294967295L, "<u4", "4294967295"));
    out.add(Arguments.of(DataType.LONG, 0, Long.MIN_VALUE, "<i8", "-9223372036854775808"));
    out.add(
        Arguments.of(
            DataType.ULONG,
            0,
            new BigInteger("18446744073709551614"),
            "<u8",
            "18446744073709551614"));
    out.add(Arguments.of(DataType.FLOAT, 0, Double.NaN, "<f4", "\"NaN\""));
    out.add(Arguments.of(DataType.FLOAT, 0, 9.969209968386869E36, "<f4", "9.969209968386869E36"));
    out.add(Arguments.of(DataType.DOUBLE, 0, Double.POSITIVE_INFINITY, "<f8", "\"Infinity\""));
    out.add(Arguments.of(DataType.DOUBLE, 0, Double.NEGATIVE_INFINITY, "<f8", "\"-Infinity\""));
    out.add(Arguments.of(DataType.DOUBLE, 0, -0.5, "<f8", "-0.5"));
    out.add(Arguments.of(DataType.DOUBLE, 0, null, "<f8", "null"));
    out.add(Arguments.of(DataType.CHAR, 8, "ab", "|S8", "\"YWI=\""));
    out.add(Arguments.of(DataType.CHAR, 8, "", "|S8", "\"\""));
    out.add(Arguments.of(DataType.CHAR, 8, null, "|S8", "null"));
    out.add(Arguments.of(DataType.CHAR, 0, " ", "|S1", "\"IA==\""));
    out.add(Arguments.of(DataType.CHAR, 0, "\u00ff", "|S1", "\"/w==\""));
    out.add(Arguments.of(DataType.STRING, 0, null, "|O", "null"));
    out.add(Arguments.of(DataType.STRING, 0, "n/a", "|O", "\"n/a\""));
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("dtypesAndFills")
  void metadataRoundTripsThroughJson(
      DataType type, int stringLength, Object fill, String dtype, String fillJson) {
    ArrayMetadata m =
        new ArrayMetadata(
            List.of(100L, 7L),
            List.of(10, 7),
            type,
            stringLength,
            fill,
            Codec.zlib(4),
            List.of("time", "x"),
            Map.of("units", "K", "valid_range", List.of(0, 10), "scale", 0.5f, "nan", Double.NaN));
    StoredArray stored = new StoredArray(m, ".");
    byte[] zarray = ZarrJson.write(V2Metadata.toZarray(stored));
    byte[] zattrs = ZarrJson.write(V2Metadata.toZattrs(m));
    String text = new String(zarray, StandardCharsets.US_ASCII);
    assertThat(text)
        .contains("\"dtype\": \"" + dtype + "\"")
        .contains("\"fill_value\": " + fillJson)
        .contains("\"order\": \"C\"")
        .contains("\"zarr_format\": 2")
        .contains("\"compressor\": {\n        \"id\": \"zlib\",\n        \"level\": 4\n    }")
        .doesNotContain("dimension_separator");
    if (type == DataType.STRING) {
      assertThat(text).contains("\"id\": \"vlen-utf8\"");
    } else {
      assertThat(text).contains("\"filters\": null");
    }
    assertThat(new String(zattrs, StandardCharsets.US_ASCII))
        .contains("\"_ARRAY_DIMENSIONS\": [\n        \"time\",\n        \"x\"\n    ]")
        .contains("\"nan\": NaN");
    StoredArray back =
        V2Metadata.parse("v", ZarrJson.read(zarray, "v/.zarray"), ZarrJson.read(zattrs, "z"));
    assertThat(back).isEqualTo(stored);
    assertThat(back.metadata()).isEqualTo(m);
  }

  @Test
  void compressorNoneIsNullAndScalarsHaveEmptyDimensions() {
    ArrayMetadata m =
        new ArrayMetadata(List.of(), List.of(), DataType.INT, 0, 7, Codec.none(), null, null);
    String zarray =
        new String(
            ZarrJson.write(V2Metadata.toZarray(new StoredArray(m, "."))),
            StandardCharsets.US_ASCII);
    assertThat(zarray).contains("\"compressor\": null").contains("\"shape\": []");
    assertThat(V2Metadata.toZattrs(m)).containsEntry("_ARRAY_DIMENSIONS", List.of());
    ArrayMetadata unnamed =
        new ArrayMetadata(List.of(3L), List.of(3), DataType.INT, 0, 7, Codec.none(), null, null);
    assertThat(V2Metadata.toZattrs(unnamed)).isEmpty();
  }

  private static Map<String, Object> zarray(String json) {
    return ZarrJson.read(json.getBytes(StandardCharsets.UTF_8), "v/.zarray");
  }

  private static final String PYTHON_ZARRAY =
      """
      {"chunks": [2, 3], "compressor": {"id": "zstd", "level": 5}, "dtype": "<f4",
       "fill_value": "NaN", "filters": null, "order": "C", "shape": [4, 5], "zarr_format": 2,
       "dimension_separator": "/"}""";

  @Test
  void readsZarrPythonMetadata() {
    StoredArray a =
        V2Metadata.parse(
            "v",
            zarray(PYTHON_ZARRAY),
            Map.of("_ARRAY_DIMENSIONS", List.of("y", "x"), "long_name", "sst"));
    assertThat(a.separator()).isEqualTo("/");
    assertThat(a.metadata().dataType()).isEqualTo(DataType.FLOAT);
    assertThat(a.metadata().shape()).containsExactly(4L, 5L);
    assertThat(a.metadata().chunks()).containsExactly(2, 3);
    assertThat(a.metadata().compressor()).isEqualTo(Codec.zstd(5));
    assertThat(a.metadata().fillValue()).isEqualTo(Double.NaN);
    assertThat(a.metadata().dimensions()).containsExactly("y", "x");
    assertThat(a.metadata().attributes()).containsOnlyKeys("long_name");
    assertThat(V2Metadata.toZarray(a)).containsEntry("dimension_separator", "/");
    StoredArray s1 =
        V2Metadata.parse(
            "c", zarray(PYTHON_ZARRAY.replace("<f4", "|S1").replace("\"NaN\"", "\"\"")), null);
    assertThat(s1.metadata().dataType()).isEqualTo(DataType.CHAR);
    assertThat(s1.metadata().stringLength()).isZero();
    assertThat(s1.metadata().dimensions()).isEmpty();
    StoredArray i8 =
        V2Metadata.parse(
            "c", zarray(PYTHON_ZARRAY.replace("<f4", ">i1").replace("\"NaN\"", "0.0")), null);
    assertThat(i8.metadata().fillValue()).isEqualTo(0L);
  }

  @Test
  void unsupportedMetadataFailsNamingTheKey() {
    assertUnsupported(PYTHON_ZARRAY.replace("zstd", "blosc"), "blosc");
    assertUnsupported(PYTHON_ZARRAY.replace("<f4", ">f4"), "big-endian");
    assertUnsupported(PYTHON_ZARRAY.replace("<f4", "<U4"), "<U4");
    assertUnsupported(PYTHON_ZARRAY.replace("<f4", "|b1"), "|b1");
    assertUnsupported(PYTHON_ZARRAY.replace("\"C\"", "\"F\""), "order");
    assertUnsupported(
        PYTHON_ZARRAY.replace("\"zarr_format\": 2", "\"zarr_format\": 3"), "zarr_format");
    assertUnsupported(
        PYTHON_ZARRAY.replace("\"filters\": null", "\"filters\": [{\"id\": \"delta\"}]"),
        "filters");
    assertUnsupported(PYTHON_ZARRAY.replace("<f4", "|O"), "vlen-utf8");
    assertUnsupported(PYTHON_ZARRAY.replace("\"NaN\"", "\"oops\""), "fill_value");
    assertUnsupported(PYTHON_ZARRAY.replace("[2, 3]", "[2, 0]"), "chunk");
    assertUnsupported(PYTHON_ZARRAY.replace("[4, 5]", "[4]"), "rank");
    assertUnsupported(PYTHON_ZARRAY.replace("<f4", "<i2").replace("\"NaN\"", "70000"), "range");
  }

  private static void assertUnsupported(String json, String reason) {
    assertThatThrownBy(() -> V2Metadata.parse("v", zarray(json), null))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageStartingWith("v/.zarray")
        .hasMessageContaining(reason);
  }
}
