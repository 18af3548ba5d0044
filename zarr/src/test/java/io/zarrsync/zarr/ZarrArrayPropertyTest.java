package io.zarrsync.zarr;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.zarr.store.MemoryStore;
import io.zarrsync.zarr.store.Store;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** write(origin, data) then read gives data back, and everything else stays fill. */
class ZarrArrayPropertyTest {
  /** Element kinds with a fill value each; INT_SPARSE is mostly 0 so all-fill chunks occur. */
  @SuppressWarnings("ImmutableEnumChecker") // the fills are Long, Double, String or null
  enum Kind {
    SHORT(DataType.SHORT, 0, -7L),
    INT_SPARSE(DataType.INT, 0, 0L),
    UBYTE_NULL_FILL(DataType.UBYTE, 0, null),
    DOUBLE_NAN(DataType.DOUBLE, 0, Double.NaN),
    CHAR3(DataType.CHAR, 3, "x"),
    STRING(DataType.STRING, 0, "");

    final DataType type;
    final int stringLength;
    final Object fill;

    Kind(DataType type, int stringLength, Object fill) {
      this.type = type;
      this.stringLength = stringLength;
      this.fill = fill;
    }
  }

  /** A box to write: origin and count per dimension. */
  static final class Box {
    private final long[] origin;
    private final int[] count;

    Box(long[] origin, int[] count) {
      this.origin = origin;
      this.count = count;
    }

    long[] origin() {
      return origin.clone();
    }

    int[] count() {
      return count.clone();
    }

    @Override
    public String toString() {
      return Arrays.toString(origin) + "+" + Arrays.toString(count);
    }
  }

  record Case(
      Kind kind, List<Integer> shape, List<Integer> chunks, List<Box> boxes, long dataSeed) {}

  @Provide
  Arbitrary<Case> cases() {
    return Arbitraries.integers()
        .between(0, 3)
        .flatMap(
            rank ->
                Combinators.combine(
                        Arbitraries.of(Kind.class),
                        Arbitraries.integers().between(1, 9).list().ofSize(rank),
                        Arbitraries.integers().between(1, 5).list().ofSize(rank),
                        Arbitraries.integers().between(0, 1_000_000).list().ofSize(4 * rank),
                        Arbitraries.longs())
                    .as(ZarrArrayPropertyTest::toCase));
  }

  private static Case toCase(
      Kind kind, List<Integer> shape, List<Integer> chunks, List<Integer> seeds, long dataSeed) {
    int rank = shape.size();
    List<Box> boxes = new ArrayList<>();
    for (int b = 0; b < 2; b++) {
      long[] origin = new long[rank];
      int[] count = new int[rank];
      for (int d = 0; d < rank; d++) {
        origin[d] = seeds.get(4 * d + 2 * b) % shape.get(d);
        count[d] = seeds.get(4 * d + 2 * b + 1) % (int) (shape.get(d) - origin[d] + 1);
      }
      boxes.add(new Box(origin, count));
    }
    return new Case(kind, shape, chunks, boxes, dataSeed);
  }

  @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
  void writesReadBackAndLeaveTheRestFill(@ForAll("cases") Case c) {
    Store store = new MemoryStore();
    ZarrGroup group = ZarrGroup.create(store, ZarrFormat.V2, Map.of());
    List<Long> shape = c.shape().stream().map(Integer::longValue).toList();
    ZarrArray array =
        group.createArray(
            "v",
            new ArrayMetadata(
                shape,
                c.chunks(),
                c.kind().type,
                c.kind().stringLength,
                c.kind().fill,
                Codec.zstd(1),
                List.of(),
                Map.of()));
    int rank = shape.size();
    int[] whole = c.shape().stream().mapToInt(Integer::intValue).toArray();
    long[] zero = new long[rank];
    NdArray model = array.read(zero, whole);
    Random random = new Random(c.dataSeed());
    for (Box box : c.boxes()) {
      NdArray data = randomData(c.kind(), box.count(), random);
      array.write(box.origin(), data);
      assertThat(array.read(box.origin(), box.count()).contentEquals(data))
          .as("read back %s", box)
          .isTrue();
      NdArray.copy(
          data,
          withString(new int[rank], 0, c.kind()),
          model,
          withString(toInt(box.origin()), 0, c.kind()),
          withString(box.count(), c.kind().stringLength, c.kind()));
    }
    assertThat(array.read(zero, whole).contentEquals(model)).as("whole array").isTrue();
    ZarrArray reopened = ZarrGroup.openUnconsolidated(store).array("v").orElseThrow();
    assertThat(reopened.read(zero, whole).contentEquals(model)).as("reopened").isTrue();
    for (String key : store.list("v/")) {
      if (!key.endsWith(".zarray") && !key.endsWith(".zattrs") && c.kind().fill != null) {
        NdArray chunk = reopened.decodeChunk(store.get(key).orElseThrow());
        assertThat(reopened.isAllFill(chunk)).as("stored all-fill chunk %s", key).isFalse();
      }
    }
  }

  private static int[] toInt(long[] a) {
    return Arrays.stream(a).mapToInt(Math::toIntExact).toArray();
  }

  private static int[] withString(int[] box, int last, Kind kind) {
    if (kind.stringLength == 0) {
      return box;
    }
    int[] out = Arrays.copyOf(box, box.length + 1);
    out[box.length] = last;
    return out;
  }

  private static NdArray randomData(Kind kind, int[] count, Random random) {
    NdArray data = NdArray.allocate(kind.type, withString(count, kind.stringLength, kind));
    for (int i = 0; i < data.size(); i++) {
      switch (kind) {
        case INT_SPARSE -> data.setLong(i, random.nextInt(3) == 0 ? 1 : 0);
        case DOUBLE_NAN -> data.setDouble(i, random.nextGaussian());
        case CHAR3 -> data.setLong(i, 'a' + random.nextInt(3));
        case STRING -> data.setString(i, random.nextBoolean() ? "" : "s" + random.nextInt(100));
        default -> data.setLong(i, random.nextInt());
      }
    }
    return data;
  }
}
