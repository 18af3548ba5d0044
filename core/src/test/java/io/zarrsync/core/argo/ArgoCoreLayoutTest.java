package io.zarrsync.core.argo;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.layout.ArraySpec;
import io.zarrsync.core.layout.FileRecords;
import io.zarrsync.core.layout.Layout;
import io.zarrsync.core.layout.Layouts;
import io.zarrsync.core.layout.Rank;
import io.zarrsync.core.layout.SourceRecord;
import io.zarrsync.core.layout.StoreSchema;
import io.zarrsync.netcdf.Cf;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import io.zarrsync.netcdf.Variable;
import io.zarrsync.testing.TestEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The profiles layout with examples/argo-core.yaml on the real Argo files of the shared data set:
 * routing, schema, identities, ranks and reads, checked against facts from the file names and
 * PROVENANCE.md rather than against the layout's own logic.
 */
class ArgoCoreLayoutTest {
  /** GDAC core per-cycle file names: R/D, float, cycle, D for a descending profile. */
  static final Pattern CORE = Pattern.compile("([RD])(\\d+)_(\\d{3})(D?)\\.nc");

  static Path argo;
  static CollectionConfig config;
  static Layout layout;
  static StoreSchema schema;

  /** The repository's examples/ directory (tests run in the core module). */
  public static Path examples() {
    return Path.of("").toAbsolutePath().getParent().resolve("examples");
  }

  /** Every .nc file under {@code root}, as keys relative to it, sorted. */
  public static List<String> keys(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".nc"))
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeAll
  static void setUp() {
    argo = TestEnvironment.sharedData().resolve("argo");
    config = CollectionConfig.load(examples().resolve("argo-core.yaml"));
    layout = Layouts.create(config);
    Path first = argo.resolve("dac/incois/2902269/profiles/R2902269_001.nc");
    try (NetcdfFile f = NetcdfFiles.open(first)) {
      schema = layout.schema("dac/incois/2902269/profiles/R2902269_001.nc", f);
    }
  }

  @Test
  void theExampleRoutesOnlyCorePerCycleFiles() {
    List<String> all = keys(argo);
    List<String> routed = all.stream().filter(config::matches).toList();
    List<String> left = all.stream().filter(k -> !config.matches(k)).toList();

    assertThat(routed).hasSize(138);
    assertThat(routed)
        .allSatisfy(
            k -> assertThat(CORE.matcher(Path.of(k).getFileName().toString()).matches()).isTrue());
    assertThat(left)
        .isNotEmpty()
        .allSatisfy(
            k -> {
              String name = Path.of(k).getFileName().toString();
              assertThat(name.endsWith("_prof.nc") || name.startsWith("B") || name.startsWith("S"))
                  .as(k)
                  .isTrue();
            });
    assertThat(left).contains("dac/coriolis/3902131/profiles/SD3902131_001.nc");
  }

  @Test
  void schemaStoresPerProfileCharactersAsS1AndStringsAsFixedLengthBytes() {
    ArraySpec mode = schema.array("DATA_MODE").orElseThrow();
    assertThat(mode.dims()).containsExactly("N_PROF");
    assertThat(mode.dataType()).isEqualTo(DataType.CHAR);
    assertThat(mode.stringLength()).isZero();
    assertThat(schema.array("DIRECTION").orElseThrow().dims()).containsExactly("N_PROF");
    assertThat(schema.array("PLATFORM_NUMBER").orElseThrow().stringLength()).isEqualTo(8);
    assertThat(schema.array("VERTICAL_SAMPLING_SCHEME").orElseThrow().stringLength())
        .isEqualTo(256);
    assertThat(schema.array("DATE_UPDATE").orElseThrow().dims()).containsExactly("N_PROF");
    assertThat(schema.array("PSAL_QC").orElseThrow().dims()).containsExactly("N_PROF", "N_LEVELS");
    assertThat(schema.array("JULD").orElseThrow().attributes())
        .containsEntry("units", "days since 1950-01-01 00:00:00 UTC");
    assertThat(schema.array("SOURCE_KEY").orElseThrow().stringLength()).isEqualTo(256);
    assertThat(schema.dim("N_LEVELS").size()).isEqualTo(329);
    assertThat(schema.attributes()).containsEntry("featureType", "trajectoryProfile");
  }

  @Test
  void everyCoreFileGivesOneRecordPerProfileNamedByFloatCycleDirectionAndPosition() {
    Map<String, Rank> byKey = new HashMap<>();
    int profiles = 0;
    for (String key : keys(argo).stream().filter(config::matches).toList()) {
      Matcher m = CORE.matcher(Path.of(key).getFileName().toString());
      assertThat(m.matches()).isTrue();
      String expectedPrefix =
          m.group(2)
              + "/"
              + Integer.parseInt(m.group(3))
              + "/"
              + (m.group(4).isEmpty() ? "A" : "D");
      try (NetcdfFile f = NetcdfFiles.open(argo.resolve(key))) {
        FileRecords r = layout.read(schema, key, f);
        long nProf = f.findDimension("N_PROF").orElseThrow().length();
        assertThat(r.records()).hasSize((int) nProf);
        for (int p = 0; p < nProf; p++) {
          assertThat(r.records().get(p).identity()).as(key).isEqualTo(expectedPrefix + "/" + p);
        }
        assertThat(r.missingArrays()).as(key).isEmpty();
        assertThat(r.extents().get("N_LEVELS"))
            .isEqualTo(f.findDimension("N_LEVELS").orElseThrow().length());
        byKey.put(key, r.records().get(0).rank());
        profiles += r.records().size();
      }
    }
    // 138 files, of which D3902131_001/_002 hold 2 profiles, R6903247_001 6 and _001D 5
    assertThat(profiles).isEqualTo(138 + 1 + 1 + 5 + 4);
    String incois = "dac/incois/2902269/profiles/";
    // R files carrying 'A' rank between R and D; the D file always wins
    assertThat(byKey.get(incois + "R2902269_001.nc")).isEqualTo(Rank.of(1L, "20190205183539"));
    assertThat(byKey.get(incois + "D2902269_001.nc")).isEqualTo(Rank.of(2L, "20230731225244"));
    assertThat(byKey.get("dac/nmdis/2901623/profiles/R2901623_000D.nc"))
        .isEqualTo(Rank.of(0L, "20181127084942"));
    for (Map.Entry<String, Rank> e : byKey.entrySet()) {
      String name = Path.of(e.getKey()).getFileName().toString();
      if (name.startsWith("R")) {
        Rank d = byKey.get(e.getKey().replace("/R", "/D"));
        if (d != null) {
          assertThat(d).as(e.getKey()).isGreaterThan(e.getValue());
        }
      }
    }
  }

  @Test
  void aMixedModeFileRanksEachProfileByItsOwnDataMode() {
    String key = "dac/coriolis/3902131/profiles/D3902131_001.nc";
    try (NetcdfFile f = NetcdfFiles.open(argo.resolve(key))) {
      List<SourceRecord> r = layout.read(schema, key, f).records();
      assertThat(r).hasSize(2);
      assertThat(r.get(0).rank()).isEqualTo(Rank.of(2L, "20211119141420"));
      assertThat(r.get(1).rank()).isEqualTo(Rank.of(1L, "20211119141420"));
    }
  }

  @Test
  void recordReadsEqualTheFileOverItsLevelsAndFillBeyond() {
    String key = "dac/coriolis/6903247/profiles/R6903247_001D.nc";
    StoreSchema grown = schema.withDimSize("N_LEVELS", 1200);
    try (NetcdfFile f = NetcdfFiles.open(argo.resolve(key))) {
      List<SourceRecord> records = layout.read(grown, key, f).records();
      for (String name : List.of("PRES", "TEMP_ADJUSTED", "PSAL_QC")) {
        Variable v = f.findVariable(name).orElseThrow();
        int levels = (int) v.shape()[1];
        assertThat(levels).isEqualTo(1176);
        for (int p : new int[] {0, 4}) {
          NdArray file = v.read(new long[] {p, 0}, new int[] {1, levels});
          NdArray row = records.get(p).read(name, new long[] {0}, new int[] {1200});
          assertThat(row.type()).isEqualTo(v.dataType());
          byte[] fileBytes = file.toByteArray();
          byte[] rowBytes = row.toByteArray();
          assertThat(Arrays.copyOf(rowBytes, fileBytes.length)).isEqualTo(fileBytes);
          NdArray tail = row.section(new int[] {levels}, new int[] {1200 - levels});
          byte[] fill =
              v.dataType() == DataType.CHAR
                  ? new byte[] {' '}
                  : Cf.rawElement(v.dataType(), 99999f);
          assertThat(tail.allRawEqual(fill)).as(name + " padding").isTrue();
        }
      }
      List<String> keys = new ArrayList<>();
      for (SourceRecord r : records) {
        NdArray k = r.read("SOURCE_KEY", new long[0], new int[0]);
        keys.add(new String(k.toByteArray(), StandardCharsets.UTF_8).replace("\0", ""));
        assertThat(r.read("SOURCE_POSITION", new long[0], new int[0]).getLong(0))
            .isEqualTo(keys.size() - 1);
      }
      assertThat(keys).containsOnly(key);
    }
  }
}
