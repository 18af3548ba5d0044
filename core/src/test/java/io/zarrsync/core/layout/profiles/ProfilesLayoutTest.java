package io.zarrsync.core.layout.profiles;

import static io.zarrsync.core.argo.ArgoFixture.prof;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.api.DataType;
import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.api.InvalidSourceFileException;
import io.zarrsync.api.NdArray;
import io.zarrsync.core.argo.ArgoFixture;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.layout.ArrayRole;
import io.zarrsync.core.layout.ArraySpec;
import io.zarrsync.core.layout.DimKind;
import io.zarrsync.core.layout.FileRecords;
import io.zarrsync.core.layout.Layout;
import io.zarrsync.core.layout.Layouts;
import io.zarrsync.core.layout.Rank;
import io.zarrsync.core.layout.RowPolicy;
import io.zarrsync.core.layout.SourceRecord;
import io.zarrsync.core.layout.StoreSchema;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profiles layout on small Argo-like files: schema, identity, rank, reads and rejections. */
class ProfilesLayoutTest {
  static final String CONFIG =
      """
      name: t
      match: '.*\\.nc$'
      layout: profiles
      identity: [PLATFORM_NUMBER, CYCLE_NUMBER, DIRECTION]
      rank:
        - field: DATA_MODE
          best-first: [D, A, R]
        - field: DATE_UPDATE
      variables: [PLATFORM_NUMBER, CYCLE_NUMBER, DIRECTION, DATA_MODE, DC_REFERENCE, JULD,
                   DATE_UPDATE, PRES, PRES_QC, TEMP]
      """;

  @TempDir Path tmp;

  static Layout layout(String yaml) {
    return Layouts.create(CollectionConfig.parse(yaml, null));
  }

  Path write(String name, ArgoFixture f) {
    return f.write(tmp.resolve(name));
  }

  static StoreSchema schema(Layout layout, Path first) {
    try (NetcdfFile f = NetcdfFiles.open(first)) {
      return layout.schema(first.getFileName().toString(), f);
    }
  }

  /** Opens {@code file}, reads its records and applies {@code then} while it is open. */
  static <T> T withRecords(
      Layout layout, StoreSchema schema, Path file, Function<FileRecords, T> then) {
    try (NetcdfFile f = NetcdfFiles.open(file)) {
      return then.apply(layout.read(schema, file.getFileName().toString(), f));
    }
  }

  static List<String> identities(Layout layout, StoreSchema schema, Path file) {
    return withRecords(
        layout, schema, file, r -> r.records().stream().map(SourceRecord::identity).toList());
  }

  static String text(NdArray a) {
    return new String(a.toByteArray(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void schemaFollowsTheFirstFileAndKeepsSingleCharactersPerProfileAndLevel() {
    Path first = write("R5900001_001.nc", ArgoFixture.of(prof().levels(7)));
    StoreSchema s = schema(layout(CONFIG), first);

    assertThat(s.recordDim()).isEqualTo("N_PROF");
    assertThat(s.rows()).isEqualTo(RowPolicy.APPENDED);
    assertThat(s.record().kind()).isEqualTo(DimKind.RECORD);
    assertThat(s.record().size()).isZero();
    assertThat(s.record().chunk()).isEqualTo(ProfilesLayout.DEFAULT_CHUNK);
    assertThat(s.dim("N_LEVELS").kind()).isEqualTo(DimKind.GROWABLE);
    assertThat(s.dim("N_LEVELS").size()).isEqualTo(7);
    assertThat(s.dims()).hasSize(2);
    assertThat(s.arrays()).allMatch(a -> a.role() == ArrayRole.RECORD);
    assertThat(s.arrays().stream().map(ArraySpec::name))
        .containsExactly(
            "PLATFORM_NUMBER",
            "CYCLE_NUMBER",
            "DIRECTION",
            "DATA_MODE",
            "DC_REFERENCE",
            "JULD",
            "DATE_UPDATE",
            "PRES",
            "PRES_QC",
            "TEMP");

    ArraySpec mode = s.array("DATA_MODE").orElseThrow();
    assertThat(mode.dims()).containsExactly("N_PROF");
    assertThat(mode.dataType()).isEqualTo(DataType.CHAR);
    assertThat(mode.stringLength()).isZero();
    assertThat(mode.fillValue()).isEqualTo(" ");
    ArraySpec platform = s.array("PLATFORM_NUMBER").orElseThrow();
    assertThat(platform.dims()).containsExactly("N_PROF");
    assertThat(platform.stringLength()).isEqualTo(8);
    ArraySpec date = s.array("DATE_UPDATE").orElseThrow();
    assertThat(date.dims()).containsExactly("N_PROF");
    assertThat(date.stringLength()).isEqualTo(14);
    ArraySpec qc = s.array("PRES_QC").orElseThrow();
    assertThat(qc.dims()).containsExactly("N_PROF", "N_LEVELS");
    assertThat(qc.stringLength()).isZero();
    ArraySpec pres = s.array("PRES").orElseThrow();
    assertThat(pres.dims()).containsExactly("N_PROF", "N_LEVELS");
    assertThat(pres.dataType()).isEqualTo(DataType.FLOAT);
    assertThat(pres.fillValue()).isEqualTo(99999f);
    assertThat(pres.attributes()).containsEntry("units", "decibar").doesNotContainKey("_FillValue");
    ArraySpec juld = s.array("JULD").orElseThrow();
    assertThat(juld.dataType()).isEqualTo(DataType.DOUBLE);
    assertThat(juld.attributes()).containsEntry("units", "days since 1950-01-01 00:00:00 UTC");
    assertThat(juld.fillValue()).isEqualTo(999999.0);
    assertThat(s.array("CYCLE_NUMBER").orElseThrow().fillValue()).isEqualTo(99999L);
  }

  @Test
  void identityIsPlatformCycleDirectionAndPositionAndRankFollowsDataModeThenDateUpdate() {
    Layout layout = layout(CONFIG);
    Path r = write("R.nc", ArgoFixture.of(prof().mode('R')).dateUpdate("20190205183539"));
    Path a = write("A.nc", ArgoFixture.of(prof().mode('A')).dateUpdate("20190101000000"));
    Path d = write("D.nc", ArgoFixture.of(prof().mode('D')).dateUpdate("20230731225244"));
    Path desc = write("Rd.nc", ArgoFixture.of(prof().direction('D')));
    StoreSchema s = schema(layout, r);

    assertThat(identities(layout, s, r)).containsExactly("5900001/1/A/0");
    assertThat(identities(layout, s, d)).containsExactly("5900001/1/A/0");
    assertThat(identities(layout, s, desc)).containsExactly("5900001/1/D/0");
    Rank rr = rank(layout, s, r, 0);
    Rank ra = rank(layout, s, a, 0);
    Rank rd = rank(layout, s, d, 0);
    assertThat(rr).isEqualTo(Rank.of(0L, "20190205183539"));
    assertThat(rd).isEqualTo(Rank.of(2L, "20230731225244"));
    // A beats R although its DATE_UPDATE is older: DATA_MODE is compared first
    assertThat(ra).isGreaterThan(rr);
    assertThat(rd).isGreaterThan(ra);
  }

  @Test
  void numericRankFieldsCompareAsNumbersAndBlanksRankLowestEvenAfterAJsonRoundTrip()
      throws Exception {
    Layout layout =
        layout(
            CONFIG.replace(
                "  - field: DATE_UPDATE\n",
                "  - field: DATE_UPDATE\n  - field: CYCLE_NUMBER\n  - field: DC_REFERENCE\n"));
    Path nine = write("9.nc", ArgoFixture.of(prof().cycle(9)));
    Path ten = write("10.nc", ArgoFixture.of(prof().cycle(10)));
    Path fill = write("f.nc", ArgoFixture.of(prof().cycle(null).dcReference("")));
    StoreSchema s = schema(layout, nine);
    Rank r9 = rank(layout, s, nine, 0);
    Rank r10 = rank(layout, s, ten, 0);
    Rank blank = rank(layout, s, fill, 0);

    assertThat(r9).isEqualTo(Rank.of(0L, "20200101000000", 9L, "DC1"));
    assertThat(r10).isGreaterThan(r9);
    assertThat(blank).isEqualTo(Rank.of(0L, "20200101000000", Long.MIN_VALUE, ""));
    assertThat(blank).isLessThan(r9);
    // the manifest keeps ranks as JSON arrays: they must compare the same after a reload
    ObjectMapper json = new ObjectMapper();
    for (Rank r : List.of(r9, r10, blank)) {
      String text = json.writeValueAsString(r.components());
      Rank back = new Rank(json.readValue(text, new TypeReference<List<Object>>() {}));
      assertThat(back).isEqualTo(r);
    }
  }

  static Rank rank(Layout layout, StoreSchema s, Path file, int position) {
    return withRecords(layout, s, file, r -> r.records().get(position).rank());
  }

  @Test
  void aFileWithSeveralProfilesKeepsEachWithItsOwnModeAndRank() {
    Layout layout = layout(CONFIG);
    Path f =
        write(
            "D3902131_001.nc",
            ArgoFixture.file()
                .profile(prof().cycle(1).mode('D').levels(6))
                .profile(prof().cycle(1).mode('A').levels(3))
                .profile(prof().cycle(1).mode('R').levels(2)));
    StoreSchema s = schema(layout, f);

    assertThat(identities(layout, s, f))
        .containsExactly("5900001/1/A/0", "5900001/1/A/1", "5900001/1/A/2");
    List<Rank> ranks =
        withRecords(layout, s, f, r -> r.records().stream().map(SourceRecord::rank).toList());
    assertThat(ranks.stream().map(x -> x.components().get(0))).containsExactly(2L, 1L, 0L);
    List<String> modes =
        withRecords(
            layout,
            s,
            f,
            r -> {
              List<String> out = new ArrayList<>();
              for (SourceRecord p : r.records()) {
                out.add(text(p.read("DATA_MODE", new long[0], new int[0])));
              }
              return out;
            });
    assertThat(modes).containsExactly("D", "A", "R");
  }

  @Test
  void blankIdentityFieldsNeverMergeProfilesOfDifferentFiles() {
    Layout layout = layout(CONFIG);
    Path a = write("dac/a/R_blank.nc", ArgoFixture.of(prof().platform("").dcReference("")));
    Path b = write("dac/b/R_blank.nc", ArgoFixture.of(prof().platform("").dcReference("")));
    Path noCycle = write("c.nc", ArgoFixture.of(prof().cycle(null)));
    Path blankDc = write("d.nc", ArgoFixture.of(prof().dcReference("")));
    StoreSchema s = schema(layout, blankDc);

    String ia = withKey(layout, s, a, "dac/a/R_blank.nc");
    String ib = withKey(layout, s, b, "dac/b/R_blank.nc");
    assertThat(ia).isEqualTo("file:dac/a/R_blank.nc#0");
    assertThat(ib).isEqualTo("file:dac/b/R_blank.nc#0").isNotEqualTo(ia);
    assertThat(identities(layout, s, noCycle)).containsExactly("file:c.nc#0");
    // DC_REFERENCE is not an identity field: blank there changes nothing
    assertThat(identities(layout, s, blankDc)).containsExactly("5900001/1/A/0");
  }

  static String withKey(Layout layout, StoreSchema s, Path file, String key) {
    try (NetcdfFile f = NetcdfFiles.open(file)) {
      return layout.read(s, key, f).records().get(0).identity();
    }
  }

  @Test
  void identityFieldsAreEscapedSoTheyCannotCollideWithFallbacksOrEachOther() {
    Layout layout = layout(CONFIG);
    Path slash = write("s.nc", ArgoFixture.of(prof().platform("59/0")));
    Path colon = write("c.nc", ArgoFixture.of(prof().platform("file:x")));
    StoreSchema s = schema(layout, slash);

    assertThat(identities(layout, s, slash)).containsExactly("59%2F0/1/A/0");
    assertThat(identities(layout, s, colon)).containsExactly("file%3Ax/1/A/0");
  }

  @Test
  void recordReadsReturnTheProfileAndPadBeyondTheFileWithFill() {
    Layout layout = layout(CONFIG);
    ArgoFixture fixture =
        ArgoFixture.file()
            .profile(prof().levels(5).version(1))
            .profile(prof().levels(3).mode('D').version(2))
            .dateUpdate("20230731225244");
    Path f = write("R.nc", fixture);
    StoreSchema s = schema(layout, f).withDimSize("N_LEVELS", 8);

    withRecords(
        layout,
        s,
        f,
        r -> {
          SourceRecord second = r.records().get(1);
          NdArray pres = second.read("PRES", new long[] {0}, new int[] {8});
          assertThat(pres.type()).isEqualTo(DataType.FLOAT);
          assertThat(pres.shape()).containsExactly(8);
          ArgoFixture.Prof p = fixture.profiles().get(1);
          for (int i = 0; i < 8; i++) {
            assertThat(pres.getDouble(i)).isEqualTo(i < 3 ? p.pres(i) : 99999f);
          }
          NdArray window = second.read("PRES", new long[] {2}, new int[] {3});
          assertThat(window.getDouble(0)).isEqualTo(p.pres(2));
          assertThat(window.getDouble(1)).isEqualTo(99999f);
          assertThat(text(second.read("PRES_QC", new long[] {0}, new int[] {8})))
              .isEqualTo("141     ");
          assertThat(text(second.read("DATA_MODE", new long[0], new int[0]))).isEqualTo("D");
          assertThat(text(second.read("PLATFORM_NUMBER", new long[0], new int[0])))
              .isEqualTo("5900001 ");
          // one value per file, repeated for each profile
          assertThat(text(second.read("DATE_UPDATE", new long[0], new int[0])))
              .isEqualTo("20230731225244");
          assertThat(text(r.records().get(0).read("DATE_UPDATE", new long[0], new int[0])))
              .isEqualTo("20230731225244");
          assertThat(second.read("JULD", new long[0], new int[0]).getDouble(0)).isEqualTo(p.juld());
          NdArray beyond = second.read("TEMP", new long[] {5}, new int[] {3});
          assertThat(beyond.getDouble(0)).isEqualTo(99999f);
          assertThat(r.extents()).containsEntry("N_LEVELS", 5L);
          assertThat(r.missingArrays()).isEmpty();
          return null;
        });
  }

  @Test
  void aMissingVariableReadsAsFillAndIsListed() {
    Layout layout = layout(CONFIG);
    Path first = write("a.nc", ArgoFixture.of(prof()));
    Path noTemp = write("b.nc", ArgoFixture.of(prof().cycle(2)).omit("TEMP").omit("DC_REFERENCE"));
    StoreSchema s = schema(layout, first);

    withRecords(
        layout,
        s,
        noTemp,
        r -> {
          assertThat(r.missingArrays()).containsExactlyInAnyOrder("TEMP", "DC_REFERENCE");
          NdArray temp = r.records().get(0).read("TEMP", new long[] {0}, new int[] {5});
          for (int i = 0; i < 5; i++) {
            assertThat(temp.getDouble(i)).isEqualTo(99999f);
          }
          NdArray dc = r.records().get(0).read("DC_REFERENCE", new long[0], new int[0]);
          assertThat(dc.shape()).containsExactly(32);
          assertThat(dc.toByteArray()[0]).isEqualTo((byte) ' ');
          assertThat(dc.toByteArray()[1]).isZero();
          return null;
        });
  }

  @Test
  void aFileMissingAVariableCannotDefineTheStore() {
    Path noTemp = write("b.nc", ArgoFixture.of(prof()).omit("TEMP"));
    assertThatThrownBy(() -> schema(layout(CONFIG), noTemp))
        .isInstanceOf(InvalidSourceFileException.class)
        .hasMessageContaining("b.nc")
        .hasMessageContaining("TEMP: configured variable is missing");
  }

  @Test
  void aWrongTypeIsRejectedNamingFileVariableAndTypes() {
    Layout layout = layout(CONFIG);
    StoreSchema s = schema(layout, write("a.nc", ArgoFixture.of(prof())));
    Path wrong = write("bad.nc", ArgoFixture.of(prof()).tempType(DataType.DOUBLE));

    assertThatThrownBy(() -> identities(layout, s, wrong))
        .isInstanceOf(InvalidSourceFileException.class)
        .hasMessage("bad.nc: TEMP: type DOUBLE, the store's array is FLOAT");
  }

  @Test
  void wrongDimsAreRejectedNamingTheVariable() {
    Layout layout = layout(CONFIG);
    StoreSchema s = schema(layout, write("a.nc", ArgoFixture.of(prof())));
    Path wrong = write("bad.nc", ArgoFixture.of(prof()).levelsDim("N_DEPTH"));

    assertThatThrownBy(() -> identities(layout, s, wrong))
        .isInstanceOf(InvalidSourceFileException.class)
        .hasMessageStartingWith("bad.nc: PRES: dims [N_PROF, N_DEPTH] do not match")
        .hasMessageContaining("[N_PROF, N_LEVELS]");
  }

  @Test
  void longerStringsAreRejectedAndShorterOnesPaddedWithNul() {
    Layout layout = layout(CONFIG);
    StoreSchema s = schema(layout, write("a.nc", ArgoFixture.of(prof())));
    Path longer = write("long.nc", ArgoFixture.of(prof()).platformLength(16));
    Path shorter = write("short.nc", ArgoFixture.of(prof().platform("5901")).platformLength(4));

    assertThatThrownBy(() -> identities(layout, s, longer))
        .isInstanceOf(InvalidSourceFileException.class)
        .hasMessage(
            "long.nc: PLATFORM_NUMBER: strings of 16 characters do not fit the store's"
                + " 8-character array");
    String padded =
        withRecords(
            layout,
            s,
            shorter,
            r -> text(r.records().get(0).read("PLATFORM_NUMBER", new long[0], new int[0])));
    assertThat(padded).isEqualTo("5901\0\0\0\0");
  }

  @Test
  void levelsBeyondTheConfiguredMaximumAreRejected() {
    Layout layout = layout(CONFIG + "grow: {N_LEVELS: {max: 6}}\n");
    StoreSchema s = schema(layout, write("a.nc", ArgoFixture.of(prof().levels(6))));
    assertThat(s.dim("N_LEVELS").max()).isEqualTo(6);
    assertThat(s.dim("N_LEVELS").chunk()).isEqualTo(6);
    Path deep = write("deep.nc", ArgoFixture.of(prof().levels(7)));

    assertThatThrownBy(() -> identities(layout, s, deep))
        .isInstanceOf(InvalidSourceFileException.class)
        .hasMessage("deep.nc: PRES: N_LEVELS is 7, more than the configured maximum 6");
    assertThatThrownBy(() -> schema(layout, deep))
        .isInstanceOf(InvalidSourceFileException.class)
        .hasMessage("deep.nc: N_LEVELS is 7, more than grow.N_LEVELS.max 6");
  }

  @Test
  void unlistedPerProfileVariablesAreIgnoredOrRejectedAsConfigured() {
    Path f = write("h.nc", ArgoFixture.of(prof()).withHistory());
    Layout ignore = layout(CONFIG);
    assertThat(identities(ignore, schema(ignore, f), f)).hasSize(1);

    Layout reject = layout(CONFIG + "unknown-variables: reject\n");
    StoreSchema s = schema(reject, f);
    assertThatThrownBy(() -> identities(reject, s, f))
        .isInstanceOf(InvalidSourceFileException.class)
        .hasMessage(
            "h.nc: has per-profile variables the config does not list: HISTORY_STEP"
                + " (unknown-variables: reject)");
  }

  @Test
  void dtypeAndFillOverridesConvertValuesAndKeepFileFillMissing() {
    String yaml =
        CONFIG.replace(
            "variables: [PLATFORM_NUMBER, CYCLE_NUMBER, DIRECTION, DATA_MODE, DC_REFERENCE, JULD,\n"
                + "             DATE_UPDATE, PRES, PRES_QC, TEMP]",
            """
            variables:
              PLATFORM_NUMBER:
              CYCLE_NUMBER:
              PRES: {fill: -1}
              TEMP: {dtype: float64, fill: nan}
            """);
    Layout layout = layout(yaml);
    ArgoFixture fixture = ArgoFixture.of(prof().levels(3));
    Path f = write("a.nc", fixture);
    Path longer = write("b.nc", ArgoFixture.of(prof().levels(5)));
    StoreSchema s = schema(layout, longer);
    assertThat(s.array("TEMP").orElseThrow().dataType()).isEqualTo(DataType.DOUBLE);
    assertThat(s.array("PRES").orElseThrow().fillValue()).isEqualTo(-1f);

    withRecords(
        layout,
        s,
        f,
        r -> {
          SourceRecord p = r.records().get(0);
          NdArray temp = p.read("TEMP", new long[] {0}, new int[] {5});
          assertThat(temp.type()).isEqualTo(DataType.DOUBLE);
          assertThat(temp.getDouble(0)).isEqualTo(fixture.profiles().get(0).temp(0));
          assertThat(temp.getDouble(4)).isNaN();
          // the file's 99999 fill is the store's -1 fill: missing either way
          NdArray pres = p.read("PRES", new long[] {0}, new int[] {5});
          assertThat(pres.getDouble(2)).isEqualTo(fixture.profiles().get(0).pres(2));
          assertThat(pres.getDouble(3)).isEqualTo(-1f);
          assertThat(pres.getDouble(4)).isEqualTo(-1f);
          return null;
        });
    // the padded level 3..4 of the file with 3 levels holds 99999 in a 5-level file: remapped too
    Path padded =
        write(
            "c.nc",
            ArgoFixture.file().profile(prof().levels(5)).profile(prof().cycle(2).levels(2)));
    withRecords(
        layout,
        s,
        padded,
        r -> {
          NdArray pres = r.records().get(1).read("PRES", new long[] {0}, new int[] {5});
          assertThat(pres.getDouble(1)).isEqualTo(15f);
          assertThat(pres.getDouble(2)).isEqualTo(-1f);
          return null;
        });
  }

  @Test
  void provenanceArraysHoldTheSourceKeyAndPosition() {
    Layout layout = layout(CONFIG + "provenance: {key: SOURCE_KEY, position: SOURCE_POSITION}\n");
    Path f = write("x.nc", ArgoFixture.file().profile(prof()).profile(prof().mode('D')));
    StoreSchema s = schema(layout, f);
    ArraySpec key = s.array("SOURCE_KEY").orElseThrow();
    assertThat(key.stringLength()).isEqualTo(ProfilesLayout.KEY_LENGTH);
    assertThat(s.array("SOURCE_POSITION").orElseThrow().dataType()).isEqualTo(DataType.INT);

    try (NetcdfFile nc = NetcdfFiles.open(f)) {
      FileRecords r = layout.read(s, "dac/x/profiles/x.nc", nc);
      SourceRecord second = r.records().get(1);
      assertThat(text(second.read("SOURCE_KEY", new long[0], new int[0])))
          .startsWith("dac/x/profiles/x.nc\0");
      assertThat(second.read("SOURCE_POSITION", new long[0], new int[0]).getLong(0)).isEqualTo(1);
    }
  }

  @Test
  void aVariableWhoseFirstDimIsNotTheRecordDimIsAConfigError() {
    Path f = write("h.nc", ArgoFixture.of(prof()).withHistory());
    Layout layout = layout(CONFIG.replace("TEMP]", "TEMP, HISTORY_STEP]"));
    assertThatThrownBy(() -> schema(layout, f))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("key 'variables.HISTORY_STEP'")
        .hasMessageContaining(
            "[N_HISTORY, N_PROF, STRING4] do not start with the record dimension");
  }

  @Test
  void chunksForADimensionNoArrayHasAreAConfigError() {
    Path f = write("a.nc", ArgoFixture.of(prof()));
    Layout layout = layout(CONFIG + "chunks: {N_LEVEL: 100}\n");
    assertThatThrownBy(() -> schema(layout, f))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage(
            "<config>: key 'chunks.N_LEVEL': no stored array has dimension N_LEVEL; did you mean"
                + " 'N_LEVELS'? (dimensions: N_PROF, N_LEVELS)");
  }

  @Test
  void theSameFileAlwaysGivesTheSameRecords() {
    Layout layout = layout(CONFIG);
    Path f =
        write(
            "a.nc",
            ArgoFixture.file().profile(prof()).profile(prof().platform("")).profile(prof()));
    StoreSchema s = schema(layout, f);
    List<String> once = identities(layout, s, f);
    assertThat(identities(layout(CONFIG), s, f)).isEqualTo(once);
    assertThat(once).containsExactly("5900001/1/A/0", "file:a.nc#1", "5900001/1/A/2");
  }
}
