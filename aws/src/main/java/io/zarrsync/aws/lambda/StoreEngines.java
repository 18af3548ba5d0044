package io.zarrsync.aws.lambda;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.api.StoreException;
import io.zarrsync.aws.S3Routes;
import io.zarrsync.core.EngineOptions;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.lease.LeaseOptions;
import io.zarrsync.s3.S3Clients;
import io.zarrsync.s3.S3Location;
import io.zarrsync.s3.S3Locations;
import io.zarrsync.s3.S3Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The engines of a Lambda container: one per collection, each over an S3 source and an S3 store,
 * sharing one S3 client and one worker pool. The configs are read at the first invocation (cold
 * start) and kept for the container's life. An engine whose store cannot be reached when it is
 * opened is tried again at the next invocation; meanwhile only its own records fail. The lease of
 * each store is taken by the first write of an invocation and released at its end ({@link
 * #releaseLeases}).
 */
final class StoreEngines implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreEngines.class);

  private final S3Client s3;
  private final S3Settings s3Settings;
  private final ExecutorService pool;
  private final EngineOptions options;
  private final List<Collection> collections;
  private final S3Routes routes;

  /** A collection and its engine, once it could be opened. */
  private static final class Collection {
    final CollectionConfig config;
    final String source;
    final String store;
    SyncEngine engine;
    String unavailable;

    Collection(CollectionConfig config, String source, String store) {
      this.config = config;
      this.source = source;
      this.store = store;
    }
  }

  private StoreEngines(
      S3Client s3,
      S3Settings s3Settings,
      ExecutorService pool,
      EngineOptions options,
      List<Collection> collections,
      S3Routes routes) {
    this.s3 = s3;
    this.s3Settings = s3Settings;
    this.pool = pool;
    this.options = options;
    this.collections = List.copyOf(collections);
    this.routes = routes;
  }

  /**
   * Loads the configs; the engines open at {@link #open()}.
   *
   * @param holder what the leases name as their holder
   * @throws InvalidConfigException if a config cannot be read or its source or store is not in S3
   */
  static StoreEngines load(LambdaSettings settings, String holder) {
    S3Client s3 = S3Clients.create(settings.s3());
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "zarrsync-worker");
              t.setDaemon(true);
              return t;
            });
    try {
      // The S3 retry policy serves the engine too: the same in production (Retry.defaults()),
      // and fast in tests.
      EngineOptions options =
          EngineOptions.defaults()
              .withExecutor(pool, threads)
              .withRetry(settings.s3().retry())
              .withLease(
                  LeaseOptions.defaults()
                      .withHolder(holder)
                      .withTtl(settings.leaseTtl())
                      .withWait(settings.leaseWait()));
      List<Collection> collections = new ArrayList<>();
      Map<String, String> sources = new LinkedHashMap<>();
      for (String location : settings.configs()) {
        CollectionConfig c = load(location, settings, s3);
        if (sources.containsKey(c.name())) {
          throw new InvalidConfigException(
              "ZARRSYNC_CONFIG: two collections named '" + c.name() + "' (" + location + ")");
        }
        String source = s3Location(c, c.source(), "source", location);
        String store = s3Location(c, c.store(), "store", location);
        collections.add(new Collection(c, source, store));
        sources.put(c.name(), source);
        LOG.info("collection {}: {} -> {} ({})", c.name(), source, store, location);
      }
      return new StoreEngines(s3, settings.s3(), pool, options, collections, S3Routes.of(sources));
    } catch (RuntimeException e) {
      pool.shutdownNow();
      s3.close();
      throw e;
    }
  }

  /**
   * Opens the engines not open yet. A store that cannot be read now leaves its collection
   * unavailable for this invocation ({@link #unavailable}).
   *
   * @throws io.zarrsync.api.ZarrsyncException if a store belongs to another collection or holds
   *     data zarrsync did not write: a deployment mistake, not worth retrying record by record
   */
  void open() {
    for (Collection c : collections) {
      if (c.engine != null) {
        continue;
      }
      try {
        c.engine =
            SyncEngine.open(
                c.config,
                S3Locations.source(c.source, s3, s3Settings),
                S3Locations.store(c.store, s3, s3Settings),
                options);
        c.unavailable = null;
      } catch (StoreException e) {
        c.unavailable = "cannot open its store " + c.store + ": " + e.getMessage();
        LOG.error(
            "collection {}: {}; its records fail until it can", c.config.name(), c.unavailable);
      }
    }
  }

  /** Why a collection's engine is not open, by collection name (empty when all are). */
  Map<String, String> unavailable() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Collection c : collections) {
      if (c.engine == null) {
        out.put(c.config.name(), c.unavailable == null ? "not opened" : c.unavailable);
      }
    }
    return out;
  }

  /** The open engines. */
  List<SyncEngine> engines() {
    List<SyncEngine> out = new ArrayList<>();
    for (Collection c : collections) {
      if (c.engine != null) {
        out.add(c.engine);
      }
    }
    return out;
  }

  S3Routes routes() {
    return routes;
  }

  /** Releases every store's lease; the engines stay open for the next invocation. */
  void releaseLeases() {
    for (SyncEngine e : engines()) {
      try {
        e.releaseLease();
      } catch (RuntimeException ex) {
        LOG.warn("{}: cannot release the lease: {}", e.config().name(), ex.toString());
      }
    }
  }

  @Override
  public void close() {
    try {
      engines().forEach(SyncEngine::close);
    } finally {
      pool.shutdownNow();
      s3.close();
    }
  }

  private static CollectionConfig load(String location, LambdaSettings settings, S3Client s3) {
    if (!S3Locations.isS3(location)) {
      Path p = settings.taskRoot().resolve(location);
      return CollectionConfig.load(p);
    }
    S3Location l = S3Location.parse(location);
    if (l.prefix().isEmpty()) {
      throw new InvalidConfigException(
          "ZARRSYNC_CONFIG: " + location + " names a bucket, not a config object");
    }
    String key = l.prefix().substring(0, l.prefix().length() - 1);
    String yaml;
    try {
      yaml =
          settings
              .s3()
              .retry()
              .callIdempotent(
                  "get " + location,
                  () -> {
                    try {
                      return s3.getObjectAsBytes(b -> b.bucket(l.bucket()).key(key))
                          .asString(StandardCharsets.UTF_8);
                    } catch (SdkException e) {
                      throw new StoreException(
                          "cannot read " + location + ": " + e.getMessage(), e);
                    }
                  });
    } catch (StoreException e) {
      throw new InvalidConfigException(
          "ZARRSYNC_CONFIG: cannot read the collection config "
              + location
              + " ("
              + e.getMessage()
              + "); check the key and that the function's role may s3:GetObject it",
          e);
    }
    return CollectionConfig.parse(yaml, null);
  }

  private static String s3Location(
      CollectionConfig c, String value, String key, String configLocation) {
    if (value == null || !S3Locations.isS3(value)) {
      throw new InvalidConfigException(
          configLocation
              + ": collection '"
              + c.name()
              + "' needs '"
              + key
              + ": s3://bucket/prefix' to run in AWS Lambda (it has "
              + (value == null ? "none" : "'" + value + "'")
              + "); a Lambda function keeps nothing on local disk");
    }
    return value;
  }
}
