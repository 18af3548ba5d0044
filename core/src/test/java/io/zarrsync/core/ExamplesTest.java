package io.zarrsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.core.source.Router;
import io.zarrsync.core.source.SourceObject;
import io.zarrsync.zarr.store.FileSystemStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example configs load, route the shared data disjointly, and sync the real grid files. */
class ExamplesTest {
  @TempDir Path tmp;

  static Path examples() {
    return Path.of("").toAbsolutePath().getParent().resolve("examples");
  }

  static List<CollectionConfig> all() throws IOException {
    try (Stream<Path> s = Files.list(examples())) {
      return s.filter(p -> p.toString().endsWith(".yaml"))
          .sorted()
          .map(CollectionConfig::load)
          .toList();
    }
  }

  @Test
  void everyExampleLoadsAndNoSharedFileMatchesTwoCollections() throws IOException {
    List<CollectionConfig> configs = all();
    assertThat(configs)
        .extracting(CollectionConfig::name)
        .contains("ostia", "ghrsst-l3s-1d", "ghrsst-l3s-1d-template", "synthetic-sst");
    // the synthetic collections read generated directories, not the shared data
    Router router =
        new Router(configs.stream().filter(c -> !c.name().startsWith("synthetic")).toList());
    Path data = Fixtures.shared().resolve("data");
    long routed = 0;
    for (SourceObject o : new LocalDirectorySource(data).list()) {
      routed += router.route(o.key()).isPresent() ? 1 : 0; // throws if two collections match
    }
    assertThat(routed).isGreaterThan(5);
  }

  private SyncReport sync(String example, Path store) {
    CollectionConfig c = CollectionConfig.load(examples().resolve(example));
    try (SyncEngine e =
        SyncEngine.open(
            c,
            new LocalDirectorySource(Fixtures.shared().resolve("data")),
            new FileSystemStore(store),
            EngineOptions.defaults()
                .withExecutor(java.util.concurrent.ForkJoinPool.commonPool(), 2))) {
      SyncReport r = e.sync(ProgressListener.NONE);
      assertThat(e.verify(ProgressListener.NONE).drifts()).isEmpty();
      assertThat(e.sync(ProgressListener.NONE).commits()).isEmpty();
      return r;
    }
  }

  @Test
  void ostiaFilesLandInTheirDaySlotsWithTheGapEmpty() {
    Path store = tmp.resolve("ostia.zarr");
    SyncReport r = sync("ostia.yaml", store);
    assertThat(r.added()).isEqualTo(4);
    assertThat(r.quarantined()).isEmpty();
    assertThat(r.unmatchedKeys()).isNotEmpty();
    assertThat(r.records()).isEqualTo(158);
    Path dir = Fixtures.shared().resolve("data/ghrsst/ostia");
    GridCheck check =
        new GridCheck(158, List.of("analysed_sst", "sst_anomaly"), "2017-01-01T12:00:00Z", 24)
            .only(0, 1, 100, 154, 155, 156, 157);
    check.slot(
        0, dir.resolve("20170101120000-UKMO-L4_GHRSST-SSTfnd-OSTIAanom-GLOB-v02.0-fv02.0.nc"));
    for (int d = 5; d <= 7; d++) {
      check.slot(
          150 + d,
          dir.resolve(
              "2017060" + d + "120000-UKMO-L4_GHRSST-SSTfnd-OSTIAanom-GLOB-v02.0-fv02.0.nc"));
    }
    check.run(store);
  }

  @Test
  void imosL3sDailyFileIsStoredPackedInItsSlot() {
    Path store = tmp.resolve("l3s.zarr");
    SyncReport r = sync("ghrsst-l3s-1d.yaml", store);
    assertThat(r.added()).isEqualTo(1);
    assertThat(r.records()).isEqualTo(26);
    new GridCheck(
            26,
            List.of(
                "sea_surface_temperature", "sses_bias", "quality_level", "l2p_flags", "sst_dtime"),
            "1992-03-01T03:20:00Z",
            24)
        .slot(
            25,
            Fixtures.shared()
                .resolve(
                    "data/ghrsst/imos_l3s_1d_day_cut/19920326032000-ABOM-L3S_GHRSST-SSTskin-AVHRR_D-1d_day.nc"))
        .run(store);
  }

  @Test
  void imosL3sFullGridTemplateIsAllFillSoOnlyCoordinatesAreWritten() throws IOException {
    Path store = tmp.resolve("template.zarr");
    CollectionConfig c = CollectionConfig.load(examples().resolve("ghrsst-l3s-1d-template.yaml"));
    SyncReport r;
    try (SyncEngine e =
        SyncEngine.open(
            c,
            new LocalDirectorySource(Fixtures.shared().resolve("data")),
            new FileSystemStore(store),
            EngineOptions.defaults()
                .withExecutor(java.util.concurrent.ForkJoinPool.commonPool(), 2))) {
      r = e.sync(ProgressListener.NONE);
    }
    assertThat(r.added()).isEqualTo(1);
    assertThat(r.records()).isEqualTo(21);
    try (Stream<Path> files = Files.walk(store)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> store.relativize(p).toString()))
          .filteredOn(k -> !k.startsWith(".zarrsync") && !k.contains(".z"))
          .allMatch(k -> k.startsWith("lat/") || k.startsWith("lon/") || k.startsWith("time/"));
    }
    new GridCheck(21, List.of("sea_surface_temperature", "l2p_flags"), "1992-03-01T03:20:00Z", 24)
        .only(20)
        .slot(
            20,
            Fixtures.shared()
                .resolve(
                    "data/ghrsst/imos_l3s_1d_day_fullgrid/satellite_ghrsst_l3s_1day_daytime_single_sensor_australia.nc"))
        .run(store);
  }
}
