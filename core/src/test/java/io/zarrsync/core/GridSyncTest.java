package io.zarrsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.zarr.store.FileSystemStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridSyncTest {
  @TempDir Path tmp;

  @Test
  void syncOfThreeDaysOpensInXarrayAndEqualsTheFiles() {
    Path src = tmp.resolve("src");
    List<Path> days = Fixtures.sst(src, 3, 90, 120, true);
    Path storeDir = tmp.resolve("store.zarr");
    try (SyncEngine engine =
        SyncEngine.open(
            Fixtures.sstConfig(),
            new LocalDirectorySource(src),
            new FileSystemStore(storeDir),
            EngineOptions.defaults().withExecutor(Runnable::run, 1))) {
      SyncReport report = engine.sync(ProgressListener.NONE);
      assertThat(report.added()).isEqualTo(3);
      assertThat(report.commits()).hasSize(1);
      assertThat(report.records()).isEqualTo(3);
      assertThat(report.quarantined()).isEmpty();
      SyncReport again = engine.sync(ProgressListener.NONE);
      assertThat(again.commits()).isEmpty();
      assertThat(again.unchanged()).isEqualTo(3);
    }
    GridCheck.synthetic(3)
        .slot(0, days.get(0))
        .slot(1, days.get(1))
        .slot(2, days.get(2))
        .run(storeDir);
  }

  @Test
  void netcdf4FilesRevisionsRemovalsAndAMissingVariableAsXarraySeesThem() throws Exception {
    Path pool = tmp.resolve("pool");
    List<Path> days = Fixtures.sst(pool, 4, 60, 90, false);
    Path noBias = tmp.resolve("nobias/" + Fixtures.sstName(2));
    java.nio.file.Files.createDirectories(noBias.getParent());
    Fixtures.sstDay(noBias, 2, 60, 90, 0, false, "sses_bias");
    Path rev = tmp.resolve("rev/" + Fixtures.sstName(0));
    java.nio.file.Files.createDirectories(rev.getParent());
    Fixtures.sstDay(rev, 0, 60, 90, 1, false);
    Path storeDir = tmp.resolve("store.zarr");
    try (Scenario s =
        new Scenario(
            tmp.resolve("src"),
            new FileSystemStore(storeDir),
            Fixtures.sstConfig(),
            EngineOptions.defaults()
                .withExecutor(java.util.concurrent.ForkJoinPool.commonPool(), 2)
                .withBatchSize(2))) {
      s.put(days.get(0), Fixtures.sstName(0)).put(days.get(1), Fixtures.sstName(1));
      s.put(noBias, Fixtures.sstName(2)).put(days.get(3), Fixtures.sstName(3));
      SyncReport r = s.sync();
      assertThat(r.commits()).hasSize(2);
      assertThat(r.added()).isEqualTo(4);
      GridCheck.synthetic(4)
          .slot(0, days.get(0))
          .slot(1, days.get(1))
          .slot(2, noBias)
          .missing(2, "sses_bias")
          .slot(3, days.get(3))
          .run(storeDir);
      s.put(rev, Fixtures.sstName(0)).remove(Fixtures.sstName(1)).remove(Fixtures.sstName(3));
      SyncReport r2 = s.sync();
      assertThat(r2.changed()).isEqualTo(1);
      assertThat(r2.removed()).isEqualTo(2);
      assertThat(r2.records()).isEqualTo(3);
      GridCheck.synthetic(3).slot(0, rev).slot(2, noBias).missing(2, "sses_bias").run(storeDir);
      assertThat(s.engine.verify(ProgressListener.NONE).clean()).isTrue();
    }
  }
}
