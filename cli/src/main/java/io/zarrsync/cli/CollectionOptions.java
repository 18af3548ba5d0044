package io.zarrsync.cli;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.core.EngineOptions;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.zarr.store.FileSystemStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Option;

/** The options every command on a collection shares: which config, source and store. */
final class CollectionOptions {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "C.yaml",
      description = "The collection config (see docs/collections.md).")
  Path config;

  @Option(
      names = "--source",
      paramLabel = "DIR",
      description = "Source directory (overrides the config's 'source').")
  Path source;

  @Option(
      names = "--store",
      paramLabel = "DIR",
      description = "Zarr store directory (overrides the config's 'store').")
  Path store;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Source files per transaction (default: 500).")
  Integer batchSize;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Threads reading and encoding chunks (default: one per core).")
  Integer threads;

  private ExecutorService pool;

  CollectionConfig loadConfig() {
    return CollectionConfig.load(config);
  }

  /** The source root: --source, else the config's. */
  Path sourceRoot(CollectionConfig c) {
    Path p = source != null ? source : local(c, c.source(), "source");
    if (!Files.isDirectory(p)) {
      throw new InvalidConfigException("source directory " + p + " does not exist");
    }
    return p.toAbsolutePath().normalize();
  }

  /** The store root: --store, else the config's. */
  Path storeRoot(CollectionConfig c) {
    Path p = store != null ? store : local(c, c.store(), "store");
    return p.toAbsolutePath().normalize();
  }

  private Path local(CollectionConfig c, String location, String key) {
    if (location == null) {
      throw new InvalidConfigException(
          config + ": no " + key + ": set '" + key + ":' in the config or pass --" + key);
    }
    return c.localPath(location)
        .orElseThrow(
            () ->
                new InvalidConfigException(
                    config
                        + ": key '"
                        + key
                        + "': "
                        + location
                        + " is not a local path; this build reads and writes local directories"
                        + " only (S3 is planned)"));
  }

  /** Opens the engine; close it, then call {@link #shutdown()}. */
  SyncEngine open() {
    CollectionConfig c = loadConfig();
    EngineOptions o = EngineOptions.defaults();
    int n = threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
    if (n < 1) {
      throw new IllegalArgumentException("--threads must be at least 1");
    }
    pool =
        Executors.newFixedThreadPool(
            n,
            r -> {
              Thread t = new Thread(r, "zarrsync-worker");
              t.setDaemon(true);
              return t;
            });
    o = o.withExecutor(pool, n);
    if (batchSize != null) {
      o = o.withBatchSize(batchSize);
    }
    return SyncEngine.open(
        c, new LocalDirectorySource(sourceRoot(c)), new FileSystemStore(storeRoot(c)), o);
  }

  void shutdown() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
