package io.zarrsync.netcdf.nc3;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.api.NdArray;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import io.zarrsync.netcdf.Variable;
import io.zarrsync.netcdf.testing.Ncgen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Any box read by hyperslab equals the same section of the whole variable read at once. */
class Nc3HyperslabPropertyTest {
  private static Path dir;
  private static final List<NetcdfFile> FILES = new ArrayList<>();
  private static final List<Variable> VARIABLES = new ArrayList<>();

  /** A box of one variable. */
  static final class Box {
    final Variable variable;
    final long[] origin;
    final int[] count;

    Box(Variable variable, long[] origin, int[] count) {
      this.variable = variable;
      this.origin = origin;
      this.count = count;
    }

    @Override
    public String toString() {
      return variable.name()
          + Arrays.toString(variable.shape())
          + " origin "
          + Arrays.toString(origin)
          + " count "
          + Arrays.toString(count);
    }
  }

  @BeforeContainer
  static void writeFixtures() throws IOException {
    dir = Files.createTempDirectory("nc3-hyperslab");
    String grid = numbers(4 * 5 * 6);
    String recs = numbers(7 * 3 * 4);
    String cdl =
        """
        netcdf slabs {
        dimensions:
          t = UNLIMITED ;
          z = 4 ;
          y = 5 ;
          x = 6 ;
          n = 3 ;
          m = 4 ;
          s = 5 ;
        variables:
          float grid(z, y, x) ;
          short recs(t, n, m) ;
          double q(t) ;
          char c(t, s) ;
          byte b(t, n) ;
        data:
          grid = %s ;
          recs = %s ;
          q = 1, 2, 3, 4, 5, 6, 7 ;
          c = "a", "bb", "ccc", "dddd", "eeeee", "f", "g" ;
          b = %s ;
        }
        """
            .formatted(grid, recs, numbers(21));
    String single =
        """
        netcdf single {
        dimensions:
          t = UNLIMITED ;
          n = 7 ;
        variables:
          byte only(t, n) ;
        data:
          only = %s ;
        }
        """
            .formatted(numbers(9 * 7));
    for (String kind : List.of("classic", "64-bit offset", "cdf5")) {
      String tag = kind.replace(' ', '-');
      open(Ncgen.generate(dir, "slabs-" + tag, kind, cdl));
      open(Ncgen.generate(dir, "single-" + tag, kind, single));
    }
  }

  private static void open(Path p) {
    NetcdfFile f = NetcdfFiles.open(p);
    FILES.add(f);
    VARIABLES.addAll(f.variables());
  }

  private static String numbers(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> Integer.toString(i % 120 - 60))
        .collect(Collectors.joining(", "));
  }

  @AfterContainer
  static void cleanUp() throws IOException {
    FILES.forEach(NetcdfFile::close);
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  // Random boxes only: the edge cases of ~40 variables would otherwise crowd out every random try
  // (the extents are small, so empty and whole boxes come up by chance anyway).
  @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
  void aBoxEqualsTheSameSectionOfTheWholeVariable(@ForAll("boxes") Box box) {
    NdArray whole = box.variable.read();
    NdArray part = box.variable.read(box.origin, box.count);
    int[] origin = Arrays.stream(box.origin).mapToInt(Math::toIntExact).toArray();
    assertThat(part.shape()).containsExactly(box.count);
    assertThat(part.contentEquals(whole.section(origin, box.count))).as(box.toString()).isTrue();
  }

  @Provide
  Arbitrary<Box> boxes() {
    return Arbitraries.of(VARIABLES)
        .flatMap(
            v -> {
              long[] shape = v.shape();
              List<Arbitrary<int[]>> dims = new ArrayList<>();
              for (long extent : shape) {
                int n = Math.toIntExact(extent);
                dims.add(
                    Arbitraries.integers()
                        .between(0, n)
                        .flatMap(
                            o ->
                                Arbitraries.integers()
                                    .between(0, n - o)
                                    .map(c -> new int[] {o, c})));
              }
              return Combinators.combine(dims)
                  .as(
                      list ->
                          new Box(
                              v,
                              list.stream().mapToLong(oc -> oc[0]).toArray(),
                              list.stream().mapToInt(oc -> oc[1]).toArray()));
            });
  }
}
