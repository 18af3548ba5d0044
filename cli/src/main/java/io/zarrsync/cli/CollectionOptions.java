package io.zarrsync.cli;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.core.EngineOptions;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.lease.LeaseOptions;
import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.zarr.store.FileSystemStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  @Option(
      names = "--wait",
      arity = "0..1",
      paramLabel = "DURATION",
      fallbackValue = "24h",
      converter = Durations.class,
      description = {
        "If another zarrsync process is writing the store, wait for it (up to DURATION, e.g.",
        "30s or 10m; no value: a day) instead of exiting with code 6."
      })
  Duration waitFor;

  @Option(
      names = "--lease-ttl",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = {
        "Lifetime of this writer's lease, renewed every third of it (default: 30s). After a",
        "crash, a writer on another host waits this long; on the same host it takes over at once."
      })
  Duration leaseTtl;

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
  SyncEngine open(String command) {
    return open(command, null);
  }

  /**
   * Opens the engine, naming {@code zarrsync <command>} as the lease holder and advertising {@code
   * spool} (or null) for hand-offs; close it, then call {@link #shutdown()}.
   */
  SyncEngine open(String command, Path spool) {
    CollectionConfig c = loadConfig();
    EngineOptions o = engineOptions(command, spool);
    return SyncEngine.open(
        c, new LocalDirectorySource(sourceRoot(c)), new FileSystemStore(storeRoot(c)), o);
  }

  EngineOptions engineOptions(String command, Path spool) {
    EngineOptions o = EngineOptions.defaults();
    LeaseOptions lease = o.lease().withHolder("zarrsync " + command);
    if (waitFor != null) {
      lease = lease.withWait(waitFor);
    }
    if (leaseTtl != null) {
      lease = lease.withTtl(leaseTtl);
    }
    if (spool != null) {
      lease = lease.withSpool(spool.toAbsolutePath().normalize().toString());
    }
    o = o.withLease(lease);
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
    return o;
  }

  void shutdown() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
