package io.zarrsync.cli;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.core.EngineOptions;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.lease.LeaseOptions;
import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.core.source.Source;
import io.zarrsync.s3.S3Clients;
import io.zarrsync.s3.S3Locations;
import io.zarrsync.s3.S3Settings;
import io.zarrsync.zarr.store.FileSystemStore;
import io.zarrsync.zarr.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The options every command on a collection shares: which config, source and store. Sources and
 * stores are local directories or {@code s3://bucket/prefix} locations (S3 settings from the
 * environment: {@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, the default credential chain).
 */
final class CollectionOptions {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "C.yaml",
      description = "The collection config (see docs/collections.md).")
  Path config;

  @Option(
      names = "--source",
      paramLabel = "DIR|S3URI",
      description = "Source directory or s3://bucket/prefix (overrides the config's 'source').")
  String source;

  @Option(
      names = "--store",
      paramLabel = "DIR|S3URI",
      description = "Zarr store directory or s3://bucket/prefix (overrides the config's 'store').")
  String store;

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
  private S3Client s3;
  private S3Settings s3Settings;

  CollectionConfig loadConfig() {
    return CollectionConfig.load(config);
  }

  /** The source location as given: --source, else the config's (a path or an s3:// URI). */
  String sourceLocation(CollectionConfig c) {
    return location(source, c.source(), "source");
  }

  /** The store location as given: --store, else the config's (a path or an s3:// URI). */
  String storeLocation(CollectionConfig c) {
    return location(store, c.store(), "store");
  }

  boolean s3Source(CollectionConfig c) {
    return S3Locations.isS3(sourceLocation(c));
  }

  /** The source root: --source, else the config's; it must be a local directory. */
  Path sourceRoot(CollectionConfig c) {
    Path p = local(c, source, c.source(), "source");
    if (!Files.isDirectory(p)) {
      throw new InvalidConfigException("source directory " + p + " does not exist");
    }
    return p.toAbsolutePath().normalize();
  }

  /** The store root: --store, else the config's; it must be a local directory. */
  Path storeRoot(CollectionConfig c) {
    return local(c, store, c.store(), "store").toAbsolutePath().normalize();
  }

  private String location(String option, String configured, String key) {
    String location = option != null ? option : configured;
    if (location == null) {
      throw new InvalidConfigException(
          config + ": no " + key + ": set '" + key + ":' in the config or pass --" + key);
    }
    return location;
  }

  /** A local location: an option is relative to the working directory, a config value to it. */
  private Path local(CollectionConfig c, String option, String configured, String key) {
    String location = location(option, configured, key);
    if (S3Locations.isS3(location)) {
      throw new InvalidConfigException(
          config
              + ": this command needs a local "
              + key
              + " directory, not "
              + location
              + " (pass --"
              + key
              + " DIR)");
    }
    if (option != null) {
      return Path.of(option);
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
                        + " is neither a local path nor an s3:// location"));
  }

  /** The source: a local directory, or an S3 prefix (S3 settings from the environment). */
  Source openSource(CollectionConfig c) {
    String location = sourceLocation(c);
    if (S3Locations.isS3(location)) {
      return S3Locations.source(location, s3(), s3Settings);
    }
    return new LocalDirectorySource(sourceRoot(c));
  }

  /** The store: a local directory, or an S3 prefix (S3 settings from the environment). */
  Store openStore(CollectionConfig c) {
    String location = storeLocation(c);
    if (S3Locations.isS3(location)) {
      return S3Locations.store(location, s3(), s3Settings);
    }
    return new FileSystemStore(storeRoot(c));
  }

  /** One S3 client for the source and the store, closed by {@link #shutdown()}. */
  private S3Client s3() {
    if (s3 == null) {
      s3Settings = S3Settings.fromEnvironment();
      s3 = S3Clients.create(s3Settings);
    }
    return s3;
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
    return SyncEngine.open(c, openSource(c), openStore(c), o);
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
    if (s3 != null) {
      s3.close();
      s3 = null;
    }
  }
}
