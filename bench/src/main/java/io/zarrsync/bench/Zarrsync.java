package io.zarrsync.bench;

import io.zarrsync.core.EngineOptions;
import io.zarrsync.core.ProgressListener;
import io.zarrsync.core.SourceEvent;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.SyncReport;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.zarr.store.FileSystemStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs the sync engine the way {@code zarrsync sync} and {@code zarrsync apply} do (one worker per
 * core, default batch size), timing engine open, the operation and close together.
 */
final class Zarrsync implements AutoCloseable {
  private final ExecutorService pool;
  private final EngineOptions options;

  Zarrsync() {
    int n = Math.max(1, Runtime.getRuntime().availableProcessors());
    pool =
        Executors.newFixedThreadPool(
            n,
            r -> {
              Thread t = new Thread(r, "zarrsync-worker");
              t.setDaemon(true);
              return t;
            });
    options = EngineOptions.defaults().withExecutor(pool, n);
  }

  /**
   * One timed engine session.
   *
   * @param report what the operation did
   * @param seconds engine open + operation + close
   * @param openSeconds the engine open alone (reads the manifest, recovers)
   * @param cpuSeconds CPU time of the whole JVM over the same span (all threads, GC and JIT too)
   */
  record Timed(SyncReport report, double seconds, double openSeconds, double cpuSeconds) {
    /** Average number of cores kept busy. */
    double cores() {
      return cpuSeconds / seconds;
    }
  }

  /** {@code zarrsync sync} of {@code source} into {@code store}. */
  Timed sync(CollectionConfig config, Path source, Path store) {
    return session(config, source, store, null);
  }

  /** {@code zarrsync apply} of one event. */
  Timed apply(CollectionConfig config, Path source, Path store, SourceEvent event) {
    return session(config, source, store, event);
  }

  private Timed session(CollectionConfig config, Path source, Path store, SourceEvent event) {
    long cpu0 = Measure.processCpuNanos();
    long t0 = System.nanoTime();
    SyncReport report;
    long opened;
    try (SyncEngine engine =
        SyncEngine.open(
            config, new LocalDirectorySource(source), new FileSystemStore(store), options)) {
      opened = System.nanoTime();
      report =
          event == null
              ? engine.sync(ProgressListener.NONE)
              : engine.apply(List.of(event), ProgressListener.NONE);
    }
    long t1 = System.nanoTime();
    long cpu1 = Measure.processCpuNanos();
    if (!report.quarantined().isEmpty()) {
      throw new IllegalStateException(
          "zarrsync quarantined files, the figures would not be comparable: "
              + report.quarantined());
    }
    return new Timed(report, (t1 - t0) / 1e9, (opened - t0) / 1e9, (cpu1 - cpu0) / 1e9);
  }

  /** Fails unless the session added, changed and removed exactly these numbers of files. */
  static void expect(Timed t, int added, int changed, int removed) {
    var r = t.report();
    if (r.added() != added || r.changed() != changed || r.removed() != removed) {
      throw new IllegalStateException(
          String.format(
              "expected %d added, %d changed, %d removed; got %s", added, changed, removed, r));
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
