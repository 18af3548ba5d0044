package io.zarrsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.zarr.store.MemoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The failure modes of the old system (F2-F9) on small synthetic grids, in a MemoryStore. */
class GridScenarioTest {
  static final int LAT = 60;
  static final int LON = 80;

  @TempDir static Path pool;
  @TempDir Path tmp;

  static List<Path> days;
  static Path day0rev1;
  static Path day1NoBias;
  static Path otherGrid;
  static Path beforeOrigin;

  @BeforeAll
  static void generate() throws IOException {
    days = Fixtures.sst(pool.resolve("days"), 4, LAT, LON, true);
    day0rev1 = pool.resolve("rev/" + Fixtures.sstName(0));
    Files.createDirectories(day0rev1.getParent());
    Fixtures.sstDay(day0rev1, 0, LAT, LON, 1, true);
    day1NoBias = pool.resolve("nobias/" + Fixtures.sstName(1));
    Files.createDirectories(day1NoBias.getParent());
    Fixtures.sstDay(day1NoBias, 1, LAT, LON, 0, true, "sses_bias");
    otherGrid = pool.resolve("other/" + Fixtures.sstName(2));
    Files.createDirectories(otherGrid.getParent());
    Fixtures.sstDay(otherGrid, 2, LAT / 2, LON, 0, true);
    beforeOrigin = pool.resolve("early/" + Fixtures.sstName(-1));
    Files.createDirectories(beforeOrigin.getParent());
    Fixtures.sstDay(beforeOrigin, -1, LAT, LON, 0, true);
  }

  static String key(int day) {
    return Fixtures.sstName(day);
  }

  Scenario scenario() {
    return Scenario.memory(tmp.resolve("src"), Fixtures.sstConfig());
  }

  @Test
  void f2DuplicateEventsMakeNoSecondCommitAndNoDoubleAppend() {
    try (Scenario s = scenario()) {
      s.put(days.get(0), key(0));
      SyncReport first = s.created(key(0));
      assertThat(first.commits()).hasSize(1);
      SyncReport dup = s.created(key(0));
      assertThat(dup.commits()).isEmpty();
      SyncReport dups = s.apply(List.of(SourceEvent.created(key(0)), SourceEvent.created(key(0))));
      assertThat(dups.commits()).isEmpty();
      assertThat(s.engine.status().dims()).containsEntry("time", 1L);
      assertThat(s.engine.log()).hasSize(1);
      Scenario.assertSame(s.zarrContent(), s.freshSyncContent());
    }
  }

  @Test
  void f3EveryPermutationOfFourDaysGivesTheIdenticalStore() {
    Map<String, String> reference;
    try (Scenario s = scenario()) {
      for (int d = 0; d < 4; d++) {
        s.put(days.get(d), key(d));
      }
      reference = s.freshSyncContent();
    }
    assertThat(reference).containsKey("sea_surface_temperature/3.1.1");
    int n = 0;
    for (List<Integer> order : permutations(List.of(0, 1, 2, 3))) {
      try (Scenario s = Scenario.memory(tmp.resolve("p" + n++), Fixtures.sstConfig())) {
        for (int d : order) {
          s.put(days.get(d), key(d));
          assertThat(s.created(key(d)).commits()).hasSize(1);
        }
        Scenario.assertSame(s.zarrContent(), reference);
      }
    }
    assertThat(n).isEqualTo(24);
  }

  @Test
  void f4RevisingTheFirstRecordRewritesItInPlace() {
    try (Scenario s = scenario()) {
      for (int d = 0; d < 3; d++) {
        s.put(days.get(d), key(d));
      }
      s.sync();
      Map<String, String> before = s.zarrContent();
      s.put(day0rev1, key(0));
      SyncReport r = s.created(key(0));
      assertThat(r.changed()).isEqualTo(1);
      assertThat(r.rowsWritten()).isEqualTo(1);
      assertThat(r.records()).isEqualTo(3);
      Map<String, String> after = s.zarrContent();
      Scenario.assertSame(after, s.freshSyncContent());
      assertThat(after.get("sea_surface_temperature/0.0.0"))
          .isNotEqualTo(before.get("sea_surface_temperature/0.0.0"));
      assertThat(after.get("sea_surface_temperature/1.0.0"))
          .isEqualTo(before.get("sea_surface_temperature/1.0.0"));
      assertThat(s.engine.verify(ProgressListener.NONE).clean()).isTrue();
    }
  }

  @Test
  void revisionUnderAnotherKeyWinsByRankAndItsRemovalBringsBackTheOriginal() {
    try (Scenario s = scenario()) {
      s.put(days.get(0), key(0)).put(days.get(1), key(1));
      s.sync();
      Map<String, String> original = s.zarrContent();
      s.put(day0rev1, "rev1/" + key(0));
      SyncReport r = s.created("rev1/" + key(0));
      assertThat(r.rowsWritten()).isEqualTo(1);
      Scenario.assertSame(s.zarrContent(), s.freshSyncContent());
      assertThat(s.zarrContent()).isNotEqualTo(original);
      SyncReport back = s.remove("rev1/" + key(0)).removed("rev1/" + key(0));
      assertThat(back.removed()).isEqualTo(1);
      Scenario.assertSame(s.zarrContent(), original);
    }
  }

  @Test
  void f5RemovalOfANeverIngestedFileIsANoOp() {
    try (Scenario s = scenario()) {
      s.put(days.get(0), key(0));
      s.sync();
      Map<String, String> before = s.zarrContent();
      SyncReport r = s.removed(key(3));
      assertThat(r.commits()).isEmpty();
      Scenario.assertSame(s.zarrContent(), before);
      assertThat(s.engine.status().dims()).containsEntry("time", 1L);
      // a "removed" event for a file that does exist is a creation: the source is the truth
      s.put(days.get(2), key(2));
      SyncReport c = s.removed(key(2));
      assertThat(c.added()).isEqualTo(1);
      Scenario.assertSame(s.zarrContent(), s.freshSyncContent());
    }
  }

  @Test
  void f9AFileLackingAConfiguredVariableIsFilledAndRecorded() {
    try (Scenario s = scenario()) {
      s.put(days.get(0), key(0)).put(day1NoBias, key(1));
      SyncReport r = s.sync();
      assertThat(r.added()).isEqualTo(2);
      assertThat(r.quarantined()).isEmpty();
      assertThat(s.engine.missingVariables()).containsEntry(key(1), List.of("sses_bias"));
      assertThat(s.engine.status().filesMissingVariables()).isEqualTo(1);
      assertThat(s.zarrContent())
          .doesNotContainKey("sses_bias/1.0.0")
          .containsKey("sses_bias/0.0.0");
      assertThat(s.engine.verify(ProgressListener.NONE).clean()).isTrue();
    }
  }

  @Test
  void removalBlanksTheSlotDeletesItsChunksAndShrinksAtTheEnd() {
    try (Scenario s = scenario()) {
      for (int d = 0; d < 3; d++) {
        s.put(days.get(d), key(d));
      }
      s.sync();
      assertThat(s.zarrContent()).containsKey("sea_surface_temperature/1.0.0");
      s.remove(key(1));
      SyncReport r = s.removed(key(1));
      assertThat(r.rowsBlanked()).isEqualTo(1);
      assertThat(r.records()).isEqualTo(3);
      assertThat(r.chunksDeleted()).isEqualTo(5 * 4);
      assertThat(s.zarrContent().keySet()).noneMatch(k -> k.matches("[a-z_]+/1\\.\\d\\.\\d"));
      assertThat(s.zarrContent()).containsKey("time/0").doesNotContainKey("time/1");
      Scenario.assertSame(s.zarrContent(), s.freshSyncContent());
      s.remove(key(2));
      SyncReport shrink = s.sync();
      assertThat(shrink.records()).isEqualTo(1);
      Scenario.assertSame(s.zarrContent(), s.freshSyncContent());
      assertThat(s.sync().commits()).isEmpty();
      assertThat(s.engine.verify(ProgressListener.NONE).clean()).isTrue();
    }
  }

  @Test
  void badFilesAreQuarantinedWhileTheRestCommits() throws IOException {
    try (Scenario s = scenario()) {
      s.put(days.get(0), key(0)).put(days.get(1), key(1));
      s.put(otherGrid, key(2)).put(beforeOrigin, key(-1));
      Path junk = tmp.resolve("junk.nc");
      Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
      s.put(junk, key(3));
      SyncReport r = s.sync();
      assertThat(r.commits()).hasSize(1);
      assertThat(r.added()).isEqualTo(2);
      assertThat(r.quarantined())
          .extracting(QuarantineEntry::key)
          .containsExactlyInAnyOrder(key(2), key(3), key(-1));
      assertThat(s.engine.quarantine())
          .anySatisfy(q -> assertThat(q.reason()).contains("grid differs from the store's"))
          .anySatisfy(q -> assertThat(q.reason()).contains("before the axis origin"))
          .anySatisfy(q -> assertThat(q.reason()).contains("not a NetCDF file"));
      assertThat(r.records()).isEqualTo(2);
      // unchanged quarantined files are not retried by sync; a fixed file is
      assertThat(s.sync().commits()).isEmpty();
      s.put(days.get(2), key(2));
      SyncReport fixed = s.sync();
      assertThat(fixed.added()).isEqualTo(1);
      assertThat(s.engine.quarantine()).extracting(QuarantineEntry::key).doesNotContain(key(2));
      // an explicit retry reads the file again (and quarantines it again)
      SyncReport retry = s.engine.retryQuarantined(List.of(key(3)), ProgressListener.NONE);
      assertThat(retry.quarantined()).extracting(QuarantineEntry::key).containsExactly(key(3));
      // removing a quarantined file drops its entry
      s.remove(key(3));
      s.sync();
      assertThat(s.engine.quarantine()).extracting(QuarantineEntry::key).containsExactly(key(-1));
      Scenario.assertSame(s.zarrContent(), s.freshSyncContent());
    }
  }

  @Test
  void eachChunkIsWrittenAtMostOnceAndReadOnlyWhenPartlyRewritten() {
    CollectionConfig twoDays =
        CollectionConfig.parse(Fixtures.SST_YAML.replace("time: 1,", "time: 2,"), null);
    CountingStore counting = new CountingStore(new MemoryStore());
    try (Scenario s = new Scenario(tmp.resolve("src"), counting, twoDays, Scenario.serial())) {
      for (int d = 0; d < 3; d++) {
        s.put(days.get(d), key(d));
      }
      s.sync();
      assertThat(counting.maxPutsPerKey()).isEqualTo(1);
      assertThat(counting.chunkGets()).isZero();
      counting.reset();
      s.put(days.get(3), key(3));
      s.created(key(3));
      assertThat(counting.maxPutsPerKey()).isEqualTo(1);
      // row 3 shares chunk group 1 with row 2, which it does not rewrite: one read per chunk
      int dataReads = 0;
      for (String v :
          List.of(
              "sea_surface_temperature", "sses_bias", "sses_count", "quality_level", "sst_dtime")) {
        dataReads += counting.chunkGets(v);
      }
      assertThat(dataReads).isEqualTo(5 * 4);
      assertThat(counting.chunkGets("time")).isZero();
      assertThat(counting.maxGetsPerChunk()).isEqualTo(1);
      counting.reset();
      s.put(day0rev1, key(0));
      s.put(days.get(1), key(1));
      s.sync();
      assertThat(counting.maxPutsPerKey()).isEqualTo(1);
      assertThat(counting.chunkGets() - counting.chunkGets("lat") - counting.chunkGets("lon"))
          .as("rows 0 and 1 cover chunk group 0")
          .isZero();
      Scenario.assertSame(s.zarrContent(), s.freshSyncContent());
    }
  }

  @Test
  void verifyReportsRegionsThatDifferFromTheirFilesAndPendingChanges() {
    try (Scenario s = scenario()) {
      for (int d = 0; d < 3; d++) {
        s.put(days.get(d), key(d));
      }
      s.sync();
      assertThat(s.engine.verify(ProgressListener.NONE).clean()).isTrue();
      // someone overwrites a chunk of day 1 with day 2's bytes behind the engine's back
      s.store.put("sses_bias/1.1.0", s.store.get("sses_bias/2.1.0").orElseThrow());
      s.store.put("quality_level/1.0.0", s.store.get("quality_level/0.0.0").orElseThrow());
      VerifyReport v = s.engine.verify(ProgressListener.NONE);
      assertThat(v.clean()).isFalse();
      assertThat(v.drifts())
          .extracting(VerifyReport.Drift::array, VerifyReport.Drift::row, VerifyReport.Drift::key)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("sses_bias", 1L, key(1)),
              org.assertj.core.groups.Tuple.tuple("quality_level", 1L, key(1)));
      assertThat(v.checkedRecords()).isEqualTo(3);
      // a changed source is pending, not drift
      s.put(day0rev1, key(0));
      assertThat(s.engine.verify(ProgressListener.NONE).pending()).containsExactly(key(0));
    }
  }

  @Test
  void statusLogAndQuarantineDescribeTheStore() {
    try (Scenario s = scenario()) {
      s.put(days.get(0), key(0)).put(days.get(2), key(2)).put(otherGrid, key(1));
      s.sync();
      s.remove(key(2));
      s.removed(key(2));
      StoreStatus st = s.engine.status();
      assertThat(st.initialized()).isTrue();
      assertThat(st.commit()).isEqualTo(2);
      assertThat(st.dims()).containsEntry("time", 1L).containsEntry("lat", (long) LAT);
      assertThat(st.recordDim()).isEqualTo("time");
      assertThat(st.liveFiles()).isEqualTo(1);
      assertThat(st.quarantined()).isEqualTo(1);
      assertThat(st.shown()).isEqualTo(1);
      List<CommitInfo> log = s.engine.log();
      assertThat(log).extracting(CommitInfo::seq).containsExactly(1L, 2L);
      assertThat(log.get(0).applied()).containsExactly(key(0), key(2));
      assertThat(log.get(0).quarantined()).containsExactly(key(1));
      assertThat(log.get(0).operation()).isEqualTo("sync");
      assertThat(log.get(1).removed()).containsExactly(key(2));
      assertThat(log.get(1).operation()).isEqualTo("apply");
      assertThat(log.get(1).records()).isEqualTo(1);
      assertThat(s.engine.quarantine())
          .singleElement()
          .satisfies(
              q -> {
                assertThat(q.key()).isEqualTo(key(1));
                assertThat(q.commit()).isEqualTo(1);
                assertThat(q.reason()).contains("lat has 30 points, the store has 60");
              });
    }
  }

  @Test
  void aStoreBelongsToOneCollection() {
    try (Scenario s = scenario()) {
      s.put(days.get(0), key(0));
      s.sync();
      CollectionConfig other =
          CollectionConfig.parse(
              Fixtures.SST_YAML.replace("name: synthetic-sst", "name: other"), null);
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  SyncEngine.open(
                      other,
                      new io.zarrsync.core.source.LocalDirectorySource(s.source),
                      s.store,
                      Scenario.serial()))
          .hasMessageContaining("belongs to collection 'synthetic-sst'");
    }
  }

  static List<List<Integer>> permutations(List<Integer> items) {
    if (items.size() <= 1) {
      return List.of(items);
    }
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      List<Integer> rest = new ArrayList<>(items);
      int head = rest.remove(i);
      for (List<Integer> p : permutations(rest)) {
        List<Integer> x = new ArrayList<>();
        x.add(head);
        x.addAll(p);
        out.add(x);
      }
    }
    return out;
  }
}
