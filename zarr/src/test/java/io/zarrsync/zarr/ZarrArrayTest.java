package io.zarrsync.zarr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.zarr.store.MemoryStore;
import io.zarrsync.zarr.store.Store;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ZarrArrayTest {
  /** Counts gets so tests can prove that whole-chunk writes read nothing. */
  private static final class CountingStore implements Store {
    final MemoryStore inner = new MemoryStore();
    final AtomicInteger gets = new AtomicInteger();

    @Override
    public Optional<byte[]> get(String key) {
      gets.incrementAndGet();
      return inner.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
      inner.put(key, value);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
      return inner.putIfAbsent(key, value);
    }

    @Override
    public void delete(String key) {
      inner.delete(key);
    }

    @Override
    public boolean exists(String key) {
      return inner.exists(key);
    }

    @Override
    public List<String> list(String prefix) {
      return inner.list(prefix);
    }

    @Override
    public String describe() {
      return "counting";
    }
  }

  private final CountingStore store = new CountingStore();
  private final ZarrGroup group = ZarrGroup.create(store, ZarrFormat.V2, Map.of());

  private ZarrArray array(String name, DataType type, int strlen, Object fill, long... shape) {
    List<Long> s = java.util.Arrays.stream(shape).boxed().toList();
    List<Integer> chunks = s.stream().map(x -> 3).toList();
    return group.createArray(
        name, new ArrayMetadata(s, chunks, type, strlen, fill, Codec.zstd(1), List.of(), Map.of()));
  }

  private static NdArray shorts(int[] shape, int start) {
    NdArray a = NdArray.allocate(DataType.SHORT, shape);
    for (int i = 0; i < a.size(); i++) {
      a.setLong(i, start + i);
    }
    return a;
  }

  @Test
  void chunkGridKeysAndShapes() {
    ZarrArray a = array("v", DataType.SHORT, 0, null, 7, 3, 0);
    assertThat(a.chunkGrid()).containsExactly(3, 1, 0);
    assertThat(a.chunkKey(2, 0, 5)).isEqualTo("v/2.0.5");
    assertThat(a.chunkShape(2, 0, 0)).containsExactly(3, 3, 3);
    assertThatThrownBy(() -> a.chunkKey(1, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.chunkKey(1, -2, 0)).isInstanceOf(IllegalArgumentException.class);
    ZarrArray scalar =
        group.createArray(
            "s", new ArrayMetadata(List.of(), List.of(), DataType.INT, 0, 5, null, null, null));
    assertThat(scalar.chunkGrid()).isEmpty();
    assertThat(scalar.chunkKey()).isEqualTo("s/0");
    assertThat(scalar.chunkKey(0)).isEqualTo("s/0");
  }

  @Test
  void emptyChunksAndFillElements() {
    ZarrArray s = array("s", DataType.SHORT, 0, -32768, 4);
    assertThat(s.fillElement()).containsExactly(0x00, 0x80);
    NdArray e = s.emptyChunk();
    assertThat(e.shape()).containsExactly(3);
    assertThat(e.getLong(2)).isEqualTo(-32768);
    assertThat(s.isAllFill(e)).isTrue();
    e.setLong(1, 0);
    assertThat(s.isAllFill(e)).isFalse();

    ZarrArray f = array("f", DataType.FLOAT, 0, Double.NaN, 4, 4);
    NdArray nan = f.emptyChunk();
    assertThat(Float.isNaN((float) nan.getDouble(8))).isTrue();
    nan.buffer().putInt(4 * 4, 0x7fc00001); // another NaN payload still counts as fill
    assertThat(f.isAllFill(nan)).isTrue();
    nan.setDouble(0, 1.0);
    assertThat(f.isAllFill(nan)).isFalse();

    ZarrArray c = array("c", DataType.CHAR, 4, "ab", 5);
    assertThat(c.fillElement()).containsExactly('a', 'b', 0, 0);
    NdArray ce = c.emptyChunk();
    assertThat(ce.shape()).containsExactly(3, 4);
    assertThat(new String(ce.toByteArray(), StandardCharsets.ISO_8859_1))
        .isEqualTo("ab\0\0ab\0\0ab\0\0");
    assertThat(c.isAllFill(ce)).isTrue();

    ZarrArray str = array("str", DataType.STRING, 0, "n/a", 5);
    assertThat(str.emptyChunk().getString(2)).isEqualTo("n/a");
    assertThat(str.fillElement()).isEqualTo("n/a".getBytes(StandardCharsets.UTF_8));
    ZarrArray nullFill = array("z", DataType.DOUBLE, 0, null, 5);
    assertThat(nullFill.emptyChunk().getDouble(0)).isZero();
    assertThat(nullFill.fillElement()).containsExactly(new byte[8]);
    ZarrArray nullStr = array("zs", DataType.STRING, 0, null, 5);
    assertThat(nullStr.emptyChunk().getString(0)).isEmpty();
  }

  @Test
  void chunksRoundTripForEveryType() {
    for (DataType t : DataType.values()) {
      int strlen = t == DataType.CHAR ? 5 : 0;
      ZarrArray a = array("t" + t, t, strlen, null, 5, 4);
      NdArray chunk = a.emptyChunk();
      for (int i = 0; i < chunk.size(); i++) {
        if (t == DataType.STRING) {
          chunk.setString(i, "s" + i + "é");
        } else {
          chunk.setLong(i, i * 37 - 100);
        }
      }
      byte[] encoded = a.encodeChunk(chunk);
      assertThat(a.decodeChunk(encoded).contentEquals(chunk)).as(t.name()).isTrue();
      a.writeChunk(new long[] {1, 0}, chunk);
      assertThat(a.readChunk(1, 0))
          .hasValueSatisfying(c -> assertThat(c.contentEquals(chunk)).isTrue());
      assertThat(a.readChunk(0, 0)).isEmpty();
    }
  }

  @Test
  void encodeRejectsChunksOfTheWrongShapeOrType() {
    ZarrArray a = array("a", DataType.SHORT, 0, null, 5, 5);
    assertThatThrownBy(() -> a.encodeChunk(NdArray.allocate(DataType.SHORT, 2, 3)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.encodeChunk(NdArray.allocate(DataType.INT, 3, 3)))
        .isInstanceOf(IllegalArgumentException.class);
    ZarrArray c = array("c", DataType.CHAR, 4, null, 5);
    assertThatThrownBy(() -> c.encodeChunk(NdArray.allocate(DataType.CHAR, 3)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void damagedChunksFailNamingTheKey() {
    ZarrArray a = array("a", DataType.SHORT, 0, null, 5, 5);
    store.put("a/0.1", new byte[] {1, 2, 3});
    assertThatThrownBy(() -> a.readChunk(0, 1))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining("a/0.1");
    store.put("a/1.1", Codec.zstd(1).encode(new byte[10]));
    assertThatThrownBy(() -> a.readChunk(1, 1))
        .isInstanceOf(ZarrFormatException.class)
        .hasMessageContaining("a/1.1")
        .hasMessageContaining("expected 18");
  }

  @Test
  void readAndWriteAcrossChunksAndEdges() {
    ZarrArray a = array("a", DataType.SHORT, 0, -1, 7, 8);
    NdArray data = shorts(new int[] {4, 6}, 100);
    a.write(new long[] {2, 1}, data);
    assertThat(a.read(new long[] {2, 1}, new int[] {4, 6}).contentEquals(data)).isTrue();
    NdArray all = a.read(new long[] {0, 0}, new int[] {7, 8});
    for (int i = 0; i < 7; i++) {
      for (int j = 0; j < 8; j++) {
        boolean inside = i >= 2 && i < 6 && j >= 1 && j < 7;
        long expected = inside ? 100 + (i - 2) * 6 + (j - 1) : -1;
        assertThat(all.getLong(i * 8 + j)).as("%d,%d", i, j).isEqualTo(expected);
      }
    }
    // Edge chunk (2, 2) covers rows 6..8 and cols 6..8 of a 7x8 array.
    a.write(new long[] {6, 6}, shorts(new int[] {1, 2}, 7));
    NdArray edge = a.readChunk(2, 2).orElseThrow();
    assertThat(edge.shape()).containsExactly(3, 3);
    assertThat(edge.getLong(0)).isEqualTo(7);
    assertThat(edge.getLong(1)).isEqualTo(8);
    assertThat(edge.getLong(2)).isEqualTo(-1);
    assertThat(a.read(new long[] {0, 0}, new int[] {0, 3}).shape()).containsExactly(0, 3);
    assertThatThrownBy(() -> a.read(new long[] {5, 0}, new int[] {3, 1}))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> a.write(new long[] {-1, 0}, shorts(new int[] {1, 1}, 0)))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> a.write(new long[] {0}, shorts(new int[] {1}, 0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wholeChunkWritesDoNotReadAndPartialWritesDo() {
    ZarrArray a = array("a", DataType.SHORT, 0, 0, 6, 7);
    int before = store.gets.get();
    a.write(new long[] {0, 0}, shorts(new int[] {6, 6}, 1));
    assertThat(store.gets.get()).isEqualTo(before);
    // The edge column (chunk column 2 holds only index 6) counts as covered by a write of col 6.
    a.write(new long[] {0, 6}, shorts(new int[] {6, 1}, 1));
    assertThat(store.gets.get()).isEqualTo(before);
    a.write(new long[] {1, 1}, shorts(new int[] {1, 1}, 1));
    assertThat(store.gets.get()).isEqualTo(before + 1);
  }

  @Test
  void chunksThatBecomeAllFillAreDeleted() {
    ZarrArray a = array("a", DataType.SHORT, 0, -5, 6);
    a.write(new long[] {0}, shorts(new int[] {6}, 1));
    assertThat(store.list("a/")).containsExactly("a/.zarray", "a/.zattrs", "a/0", "a/1");
    NdArray fill = a.read(new long[] {0}, new int[] {3});
    fill.setLong(0, -5);
    fill.setLong(1, -5);
    fill.setLong(2, -5);
    a.write(new long[] {0}, fill);
    assertThat(store.list("a/")).containsExactly("a/.zarray", "a/.zattrs", "a/1");
    assertThat(a.read(new long[] {0}, new int[] {4}).getLong(3)).isEqualTo(4);
    // writeChunk stores what it is given, even all fill.
    a.writeChunk(new long[] {0}, a.emptyChunk());
    assertThat(store.exists("a/0")).isTrue();
  }

  @Test
  void allZeroChunksOfNullFillArraysAreKept() {
    // zarr-python reads a missing chunk of a null-fill array as uninitialised memory.
    ZarrArray a = array("a", DataType.SHORT, 0, null, 3);
    a.write(new long[] {0}, NdArray.allocate(DataType.SHORT, 3));
    assertThat(store.exists("a/0")).isTrue();
  }

  @Test
  void shrinkingClearsDataBeyondTheNewShape() {
    ZarrArray a = array("a", DataType.SHORT, 0, -1, 8, 4);
    a.write(new long[] {0, 0}, shorts(new int[] {8, 4}, 1));
    assertThat(store.list("a/")).contains("a/2.0", "a/2.1");
    a.resize(List.of(4L, 4L));
    assertThat(a.chunkGrid()).containsExactly(2, 2);
    assertThat(store.list("a/")).doesNotContain("a/2.0", "a/2.1").contains("a/1.0", "a/1.1");
    a.resize(List.of(8L, 4L));
    NdArray all = a.read(new long[] {0, 0}, new int[] {8, 4});
    for (int i = 0; i < 32; i++) {
      assertThat(all.getLong(i)).as("%d", i).isEqualTo(i < 16 ? i + 1 : -1);
    }
    assertThat(ZarrGroup.openUnconsolidated(store).array("a").orElseThrow().metadata().shape())
        .containsExactly(8L, 4L);
    assertThatThrownBy(() -> a.resize(List.of(8L))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fixedLengthStrings() {
    ZarrArray a = array("names", DataType.CHAR, 4, null, 5);
    NdArray data =
        NdArray.wrap(
            DataType.CHAR, new int[] {2, 4}, "abcdxy\0\0".getBytes(StandardCharsets.ISO_8859_1));
    a.write(new long[] {2}, data);
    NdArray read = a.read(new long[] {1}, new int[] {3});
    assertThat(read.shape()).containsExactly(3, 4);
    assertThat(new String(read.toByteArray(), StandardCharsets.ISO_8859_1))
        .isEqualTo("\0\0\0\0abcdxy\0\0");
    assertThatThrownBy(() -> a.write(new long[] {0}, NdArray.allocate(DataType.CHAR, 2, 3)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void variableLengthStrings() {
    ZarrArray a = array("s", DataType.STRING, 0, "", 2, 4);
    a.write(new long[] {1, 2}, NdArray.ofStrings(new int[] {1, 2}, new String[] {"x", "ключ"}));
    NdArray read = a.read(new long[] {0, 0}, new int[] {2, 4});
    assertThat(read.getString(6)).isEqualTo("x");
    assertThat(read.getString(7)).isEqualTo("ключ");
    assertThat(read.getString(0)).isEmpty();
  }

  @Test
  void scalars() {
    ZarrArray s =
        group.createArray(
            "s",
            new ArrayMetadata(
                List.of(), List.of(), DataType.DOUBLE, 0, Double.NaN, null, null, null));
    assertThat(Double.isNaN(s.read(new long[0], new int[0]).getDouble(0))).isTrue();
    NdArray v = NdArray.allocate(DataType.DOUBLE);
    v.setDouble(0, 2.5);
    s.write(new long[0], v);
    assertThat(store.exists("s/0")).isTrue();
    assertThat(s.read(new long[0], new int[0]).getDouble(0)).isEqualTo(2.5);
  }

  @Test
  void slashSeparatedArraysFromPythonAreRead() {
    Store s = new MemoryStore();
    s.put(".zgroup", "{\"zarr_format\": 2}".getBytes(StandardCharsets.UTF_8));
    s.put(
        "v/.zarray",
        ("{\"chunks\": [2, 2], \"compressor\": null, \"dtype\": \"<i4\", \"fill_value\": 0,"
                + " \"filters\": null, \"order\": \"C\", \"shape\": [3, 3], \"zarr_format\": 2,"
                + " \"dimension_separator\": \"/\"}")
            .getBytes(StandardCharsets.UTF_8));
    ByteBuffer chunk = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    chunk.putInt(1).putInt(2).putInt(3).putInt(4);
    s.put("v/1/0", chunk.array());
    ZarrArray v = ZarrGroup.open(s).array("v").orElseThrow();
    assertThat(v.chunkKey(1, 0)).isEqualTo("v/1/0");
    NdArray all = v.read(new long[] {0, 0}, new int[] {3, 3});
    assertThat(all.getLong(6)).isEqualTo(1);
    assertThat(all.getLong(7)).isEqualTo(2);
    assertThat(all.getLong(0)).isZero();
    v.resize(List.of(2L, 3L)); // shrinking finds slash-separated chunk keys too
    assertThat(s.exists("v/1/0")).isFalse();
    assertThat(new String(s.get("v/.zarray").orElseThrow(), StandardCharsets.UTF_8))
        .contains("\"dimension_separator\": \"/\"");
  }
}
