package io.zarrsync.cli;

import io.zarrsync.core.SyncEngine;
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
import java.util.List;
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
      "each collection's 'match' regex."
    })
final class ServeCommand implements Callable<Integer> {
  /** With --exit-when-idle, failed batches in a row after which serve exits with code 5. */
  private static final int GIVE_UP_AFTER = 8;

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "C.yaml",
      description = "A collection config; repeat for several collections.")
  List<Path> configs = new ArrayList<>();

  @Option(
      names = "--source",
      paramLabel = "DIR",
      description = "Source directory (only with one --config; overrides its 'source').")
  Path source;

  @Option(
      names = "--store",
      paramLabel = "DIR",
      description = "Zarr store directory (only with one --config; overrides its 'store').")
  Path store;

  @Option(
      names = "--spool",
      required = true,
      paramLabel = "DIR",
      description = "Directory producers drop event files into (created if missing).")
  Path spool;

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
    Spool feed = new Spool(spool);
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
        SyncEngine e = o.open("serve", feed.dir());
        engines.add(e);
        e.acquireLease();
      }
      CommitterSettings settings =
          CommitterSettings.defaults().withBatchSize(batchSize).withWindow(window);
      committer = new Committer(engines, List.<EventFeed>of(feed), settings, Clock.systemUTC());
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
        for (int i = 0; i < engines.size(); i++) {
          String name = engines.get(i).config().name();
          Path root = opts.get(i).sourceRoot(opts.get(i).loadConfig());
          DirectoryWatcher w =
              new DirectoryWatcher(
                  root,
                  Duration.ofMillis(300),
                  (events, resync) -> write(feed.dir(), name, events, resync));
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
              + feed.describe()
              + (watch ? " and watching their sources" : ""));
      out.flush();
      if (exitWhenIdle) {
        while (!stopRequested.get() && (committer.runOnce() > 0 || feed.backlog() > 0)) {
          if (committer.stats().consecutiveFailures() >= GIVE_UP_AFTER) {
            throw new io.zarrsync.api.StoreException(
                "giving up after "
                    + GIVE_UP_AFTER
                    + " failed batches in a row (last: "
                    + committer.stats().lastError()
                    + "); the events stay in "
                    + feed.dir());
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
                + (st.rejected() + feed.rejectedFiles())
                + " rejected, "
                + st.released()
                + " released for retry");
      }
      out.flush();
      return st.rejected() + feed.rejectedFiles() > 0 ? ExitCodes.PROBLEMS_FOUND : ExitCodes.OK;
    } finally {
      watchers.forEach(DirectoryWatcher::close);
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
