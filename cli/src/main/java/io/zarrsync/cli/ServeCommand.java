package io.zarrsync.cli;

import io.zarrsync.aws.S3Routes;
import io.zarrsync.aws.SqsFeed;
import io.zarrsync.aws.SqsFeedSettings;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.s3.S3Locations;
import io.zarrsync.service.Committer;
import io.zarrsync.service.CommitterSettings;
import io.zarrsync.service.CommitterStats;
import io.zarrsync.service.DirectoryWatcher;
import io.zarrsync.service.EventFeed;
import io.zarrsync.service.RoutedEvent;
import io.zarrsync.service.Spool;
import io.zarrsync.service.StatusServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code zarrsync serve}: the long-running committer of one or more stores. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run as the single committer of each collection's store: take the store's lease, reconcile",
      "it with its source, then apply events from producers in batches until stopped (Ctrl-C or",
      "SIGTERM finish the current batch first). Producers drop event files into the spool",
      "directory (see docs/serve.md), run 'zarrsync watch', or run 'zarrsync apply', which hands",
      "its events to this process. Several configs may share one spool: events are routed by",
      "each collection's 'match' regex. With --sqs-queue it reads S3 event notifications",
      "instead of (or besides) a spool, routed by each collection's s3:// source, and deletes a",
      "message once its events are committed (see docs/aws.md)."
    })
final class ServeCommand implements Callable<Integer> {
  /** With --exit-when-idle, failed batches in a row after which serve exits with code 5. */
  private static final int GIVE_UP_AFTER = 8;

  /** The idle poll with only an SQS feed: one long poll instead of a receive a second. */
  private static final Duration SQS_IDLE_POLL = Duration.ofSeconds(5);

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "C.yaml",
      description = "A collection config; repeat for several collections.")
  List<Path> configs = new ArrayList<>();

  @Option(
      names = "--source",
      paramLabel = "DIR|S3URI",
      description = "Source directory or s3://bucket/prefix (only with one --config).")
  String source;

  @Option(
      names = "--store",
      paramLabel = "DIR|S3URI",
      description = "Zarr store directory or s3://bucket/prefix (only with one --config).")
  String store;

  @Option(
      names = "--spool",
      paramLabel = "DIR",
      description = "Directory producers drop event files into (created if missing).")
  Path spool;

  @Option(
      names = "--sqs-queue",
      paramLabel = "URL",
      description = {
        "Also (or instead of --spool) read S3 event notifications from this SQS queue; the",
        "collections' sources must be s3:// locations. See docs/aws.md."
      })
  String sqsQueue;

  @Option(
      names = "--dlq",
      paramLabel = "URL",
      description = {
        "Dead-letter queue for messages that are no event notification, with the reason in",
        "the message attribute 'zarrsync-reason' (default: leave them to the queue's redrive",
        "policy)."
      })
  String deadLetterQueue;

  @Option(
      names = "--visibility",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = {
        "How long a received message stays hidden; extended while its batch is applied, so a",
        "dead committer's messages come back after it (default: 5m)."
      })
  Duration visibility;

  @Option(
      names = "--watch",
      description = "Also watch each collection's source directory for changes.")
  boolean watch;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Events per batch, and source files per transaction (default: 500).")
  int batchSize = 500;

  @Option(
      names = "--window",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "How long a batch gathers events after the first one arrives (default: 2s).")
  Duration window = Duration.ofSeconds(2);

  @Option(
      names = "--http",
      paramLabel = "HOST:PORT",
      description = "Serve GET /status (JSON) and /health on this address, e.g. 127.0.0.1:8080.")
  String http;

  @Option(
      names = "--no-initial-sync",
      description = "Do not reconcile the stores with their sources on start.")
  boolean noInitialSync;

  @Option(
      names = "--exit-when-idle",
      description = "Exit once the spool is empty (for scripts and backfills).")
  boolean exitWhenIdle;

  @Option(
      names = "--wait",
      arity = "0..1",
      paramLabel = "DURATION",
      fallbackValue = "24h",
      converter = Durations.class,
      description = "Wait for a store held by another writer (default: exit with code 6).")
  Duration waitFor;

  @Option(
      names = "--lease-ttl",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "Lease lifetime, renewed every third of it (default: 30s).")
  Duration leaseTtl;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Threads reading and encoding chunks (default: one per core).")
  Integer threads;

  @Option(names = "--json", description = "Print the final counters as JSON.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (configs.size() > 1 && (source != null || store != null)) {
      throw new ParameterException(
          spec.commandLine(), "--source and --store need exactly one --config");
    }
    if (batchSize < 1) {
      throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1");
    }
    if (spool == null && sqsQueue == null) {
      throw new ParameterException(
          spec.commandLine(), "give a feed: --spool DIR and/or --sqs-queue URL");
    }
    if (sqsQueue == null && (deadLetterQueue != null || visibility != null)) {
      throw new ParameterException(spec.commandLine(), "--dlq and --visibility need --sqs-queue");
    }
    if (watch && spool == null) {
      throw new ParameterException(spec.commandLine(), "--watch needs --spool");
    }
    Spool feed = spool == null ? null : new Spool(spool);
    List<EventFeed> feeds = new ArrayList<>();
    if (feed != null) {
      feeds.add(feed);
    }
    SqsFeed sqs = null;
    List<CollectionOptions> opts = new ArrayList<>();
    List<SyncEngine> engines = new ArrayList<>();
    List<DirectoryWatcher> watchers = new ArrayList<>();
    StatusServer server = null;
    CountDownLatch done = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean stopRequested =
        new java.util.concurrent.atomic.AtomicBoolean();
    Committer committer = null;
    var out = spec.commandLine().getOut();
    try {
      for (Path c : configs) {
        CollectionOptions o = new CollectionOptions();
        o.config = c;
        o.source = source;
        o.store = store;
        o.batchSize = batchSize;
        o.threads = threads;
        o.waitFor = waitFor;
        o.leaseTtl = leaseTtl;
        opts.add(o);
        SyncEngine e = o.open("serve", feed == null ? null : feed.dir());
        engines.add(e);
        e.acquireLease();
      }
      CommitterSettings settings =
          CommitterSettings.defaults().withBatchSize(batchSize).withWindow(window);
      if (sqsQueue != null) {
        sqs = SqsFeed.open(sqsSettings(), routes(opts), System.getenv());
        feeds.add(sqs);
        // keep a batch's messages hidden well before their visibility runs out
        Duration every = sqs.settings().visibility().dividedBy(3);
        settings =
            settings.withKeepAliveEvery(
                every.compareTo(settings.keepAliveEvery()) < 0 ? every : settings.keepAliveEvery());
        if (feed == null && !exitWhenIdle) {
          // an SQS long poll costs nothing while it waits; Ctrl-C is answered after it
          settings = settings.withIdlePoll(SQS_IDLE_POLL);
        }
      }
      committer = new Committer(engines, feeds, settings, Clock.systemUTC());
      Committer running = committer;
      Thread hook =
          new Thread(
              () -> {
                stopRequested.set(true);
                running.stop();
                try {
                  done.await();
                } catch (InterruptedException ie) {
                  Thread.currentThread().interrupt();
                }
              },
              "zarrsync-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      if (http != null) {
        server = StatusServer.start(address(http), committer);
        out.println("status API on http://" + host(http) + ":" + server.port() + "/status");
      }
      if (!noInitialSync) {
        committer.syncAll();
      }
      if (watch) {
        Path spoolDir = feed.dir();
        for (int i = 0; i < engines.size(); i++) {
          String name = engines.get(i).config().name();
          Path root = opts.get(i).sourceRoot(opts.get(i).loadConfig());
          DirectoryWatcher w =
              new DirectoryWatcher(
                  root,
                  Duration.ofMillis(300),
                  (events, resync) -> write(spoolDir, name, events, resync));
          watchers.add(w);
          Thread t = new Thread(w::run, "zarrsync-watch-" + name);
          t.setDaemon(true);
          t.start();
        }
      }
      out.println(
          "serving "
              + engines.size()
              + " collection(s) from "
              + String.join(" and ", feeds.stream().map(EventFeed::describe).toList())
              + (watch ? " and watching their sources" : ""));
      out.flush();
      if (exitWhenIdle) {
        // an SQS backlog counts messages in flight too, e.g. those of a committer that died
        while (!stopRequested.get() && (committer.runOnce() > 0 || backlog(feeds) > 0)) {
          if (committer.stats().consecutiveFailures() >= GIVE_UP_AFTER) {
            throw new io.zarrsync.api.StoreException(
                "giving up after "
                    + GIVE_UP_AFTER
                    + " failed batches in a row (last: "
                    + committer.stats().lastError()
                    + "); the events stay in "
                    + String.join(" and ", feeds.stream().map(EventFeed::describe).toList()));
          }
        }
      } else {
        committer.run(() -> false);
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waits for us below
      }
      CommitterStats st = committer.stats();
      if (json) {
        out.println(Json.write(st));
      } else {
        out.println(
            "stopped: "
                + st.batches()
                + " batches, "
                + st.events()
                + " events, "
                + st.commits()
                + " commits, "
                + (st.rejected() + rejectedFiles(feed))
                + " rejected, "
                + st.released()
                + " released for retry"
                + (sqs == null
                    ? ""
                    : ", " + sqs.poisoned() + " unusable SQS message(s) dead-lettered or left"));
      }
      out.flush();
      return st.rejected() + rejectedFiles(feed) > 0 ? ExitCodes.PROBLEMS_FOUND : ExitCodes.OK;
    } finally {
      watchers.forEach(DirectoryWatcher::close);
      if (sqs != null) {
        sqs.close();
      }
      if (server != null) {
        server.close();
      }
      if (committer != null) {
        committer.shutdown();
      }
      for (SyncEngine e : engines) {
        e.close();
      }
      opts.forEach(CollectionOptions::shutdown);
      done.countDown();
    }
  }

  private static long rejectedFiles(Spool feed) {
    return feed == null ? 0 : feed.rejectedFiles();
  }

  private SqsFeedSettings sqsSettings() {
    Duration v = visibility == null ? SqsFeedSettings.DEFAULT_VISIBILITY : visibility;
    if (v.compareTo(Duration.ofSeconds(1)) < 0 || v.compareTo(Duration.ofHours(12)) > 0) {
      throw new ParameterException(
          spec.commandLine(), "--visibility must be between 1s and 12h, not " + v);
    }
    return SqsFeedSettings.of(sqsQueue).withDeadLetterQueue(deadLetterQueue).withVisibility(v);
  }

  /** Where each collection's S3 events come from: its source, which must be in S3. */
  private S3Routes routes(List<CollectionOptions> opts) {
    Map<String, String> sources = new LinkedHashMap<>();
    for (CollectionOptions o : opts) {
      CollectionConfig c = o.loadConfig();
      String location = o.sourceLocation(c);
      if (!S3Locations.isS3(location)) {
        throw new ParameterException(
            spec.commandLine(),
            "--sqs-queue brings S3 events, but collection '"
                + c.name()
                + "' reads "
                + location
                + "; give it an s3:// source");
      }
      sources.put(c.name(), location);
    }
    return S3Routes.of(sources);
  }

  private static long backlog(List<EventFeed> feeds) {
    long n = 0;
    for (EventFeed f : feeds) {
      n += Math.max(0, f.backlog());
    }
    return n;
  }

  private static void write(
      Path spool, String collection, List<io.zarrsync.core.SourceEvent> events, boolean resync) {
    if (resync) {
      Spool.writeResync(spool);
    }
    if (!events.isEmpty()) {
      Spool.write(spool, events.stream().map(e -> new RoutedEvent(collection, e)).toList());
    }
  }

  private static String host(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return colon <= 0 ? "127.0.0.1" : hostPort.substring(0, colon);
  }

  private InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      return new InetSocketAddress(host(hostPort), port);
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw new ParameterException(
          spec.commandLine(), "--http wants HOST:PORT, e.g. 127.0.0.1:8080, not " + hostPort);
    }
  }
}
