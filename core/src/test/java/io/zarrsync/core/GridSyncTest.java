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

  @Test
  void aFloatDtypeOverrideStoresUnpackedValuesWhateverEachFilesPacking() throws Exception {
    Path src = tmp.resolve("src");
    List<Path> days = Fixtures.sst(src, 2, 30, 40, false);
    // repack day 1 with another scale_factor/add_offset: packed storage would quarantine it
    Fixtures.runPython(
        String.join(
            "\n",
            "import sys, netCDF4, numpy as np",
            "with netCDF4.Dataset(sys.argv[1], 'a') as nc:",
            "    v = nc['sea_surface_temperature']",
            "    v.set_auto_maskandscale(False)",
            "    raw = v[:]",
            "    ok = raw != -32768",
            "    val = raw * np.float64(v.scale_factor) + np.float64(v.add_offset)",
            "    v.scale_factor = np.float32(0.005)",
            "    v.add_offset = np.float32(290.0)",
            "    v[:] = np.where(ok, np.round((val - 290.0) / 0.005), -32768).astype('i2')",
            ""),
        days.get(1).toString());
    String yaml =
        Fixtures.SST_YAML.replace(
            "variables: [sea_surface_temperature, sses_bias, sses_count, quality_level, sst_dtime]",
            "variables: {sea_surface_temperature: {dtype: float32}, sses_bias: }");
    Path storeDir = tmp.resolve("store.zarr");
    try (SyncEngine e =
        SyncEngine.open(
            io.zarrsync.core.config.CollectionConfig.parse(yaml, null),
            new LocalDirectorySource(src),
            new FileSystemStore(storeDir),
            Scenario.serial())) {
      SyncReport r = e.sync(ProgressListener.NONE);
      assertThat(r.added()).isEqualTo(2);
      assertThat(r.quarantined()).isEmpty();
      assertThat(e.verify(ProgressListener.NONE).clean()).isTrue();
    }
    new GridCheck(2, List.of("sea_surface_temperature", "sses_bias"), "2022-01-01T03:20:00Z", 24)
        .unpacked("sea_surface_temperature")
        .slot(0, days.get(0))
        .slot(1, days.get(1))
        .run(storeDir);
    // without the override the differently packed file is refused, not decoded wrongly
    try (SyncEngine e =
        SyncEngine.open(
            Fixtures.sstConfig(),
            new LocalDirectorySource(src),
            new io.zarrsync.zarr.store.MemoryStore(),
            Scenario.serial())) {
      SyncReport r = e.sync(ProgressListener.NONE);
      assertThat(r.quarantined())
          .singleElement()
          .satisfies(q -> assertThat(q.reason()).contains("scale_factor").contains("differs"));
    }
  }
}
