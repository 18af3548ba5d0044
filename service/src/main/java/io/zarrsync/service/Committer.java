package io.zarrsync.service;

import io.zarrsync.api.ZarrsyncException;
import io.zarrsync.core.ProgressListener;
import io.zarrsync.core.SourceEvent;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.SyncReport;
import io.zarrsync.core.source.SourceKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one or more stores: takes deliveries of events from its feeds, batches them
 * (up to {@link CommitterSettings#batchSize()} events, gathered for at most {@link
 * CommitterSettings#window()}), routes each event to its collection's engine, applies each engine's
 * share as one call (so as few transactions as the engine's batch size allows), and acknowledges a
 * delivery only once every engine it touched has committed. A delivery whose engine failed is
 * released and comes back later; one that can never apply (a key escaping the source root) is
 * rejected with the reason. Any number of producers can feed one committer.
 *
 * <p>Single-threaded: {@link #runOnce} and {@link #run} must be called from one thread; {@link
 * #stats} and {@link #stop} from any.
 */
public final class Committer {
  private static final Logger LOG = LoggerFactory.getLogger(Committer.class);
  private static final int UNMATCHED_KEPT = 100;

  private final Map<String, SyncEngine> engines = new LinkedHashMap<>();
  private final List<EventFeed> feeds;
  private final CommitterSettings settings;
  private final Clock clock;
  private final ScheduledExecutorService keepAlive;
  private final Deque<String> unmatched = new ArrayDeque<>();
  private final Map<String, Long> lastCommit = new LinkedHashMap<>();
  private final Instant started;
  private final Object wake = new Object();
  private volatile boolean stopping;
  private long batches;
  private long failedBatches;
  private long events;
  private long acked;
  private long rejected;
  private long released;
  private long commits;
  private long unmatchedEvents;
  private int failuresInARow;
  private Instant lastBatch;
  private String lastError;
  private Instant lastErrorAt;

  /**
   * @param engines the engines of the stores this committer writes (it takes their leases first:
   *     call {@link SyncEngine#acquireLease()} before, or the first batch does)
   */
  public Committer(
      List<SyncEngine> engines, List<EventFeed> feeds, CommitterSettings settings, Clock clock) {
    for (SyncEngine e : engines) {
      if (this.engines.put(e.config().name(), e) != null) {
        throw new IllegalArgumentException("two collections named " + e.config().name());
      }
    }
    this.feeds = List.copyOf(feeds);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.started = clock.instant();
    this.keepAlive =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "zarrsync-keepalive");
              t.setDaemon(true);
              return t;
            });
  }

  /** Reconciles every store with its source (on start, and when a producer asks for it). */
  public void syncAll() {
    for (SyncEngine e : engines.values()) {
      SyncReport r = e.sync(ProgressListener.NONE);
      record(e.config().name(), r);
    }
  }

  /** Runs batches until {@link #stop()} is called or {@code until} says so (checked per batch). */
  public void run(BooleanSupplier until) throws InterruptedException {
    while (!stopping && !until.getAsBoolean()) {
      runOnce();
    }
  }

  /** Asks {@link #run} to return after the current batch (cutting a backoff pause short). */
  public void stop() {
    stopping = true;
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /**
   * Gathers one batch (waiting up to the idle poll for the first delivery) and applies it.
   *
   * @return the number of deliveries handled (0 if the feeds were idle)
   */
  public int runOnce() throws InterruptedException {
    List<Delivery> batch = gather();
    if (batch.isEmpty()) {
      return 0;
    }
    apply(batch);
    return batch.size();
  }

  private List<Delivery> gather() throws InterruptedException {
    List<Delivery> batch = new ArrayList<>();
    int count = 0;
    long deadline = Long.MAX_VALUE;
    while (count < settings.batchSize() && !stopping) {
      boolean any = false;
      for (EventFeed f : feeds) {
        Duration wait =
            batch.isEmpty()
                ? settings.idlePoll().dividedBy(Math.max(1, feeds.size()))
                : Duration.ZERO;
        for (Delivery d : f.poll(Math.max(1, settings.batchSize() - count), wait)) {
          batch.add(d);
          count += Math.max(1, d.events().size());
          any = true;
        }
      }
      if (batch.isEmpty()) {
        return batch;
      }
      if (deadline == Long.MAX_VALUE) {
        deadline = System.nanoTime() + settings.window().toNanos();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      if (!any) {
        Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 20));
      }
    }
    return batch;
  }

  private void apply(List<Delivery> batch) {
    synchronized (this) {
      batches++;
    }
    boolean resync = false;
    Map<String, List<SourceEvent>> perEngine = new LinkedHashMap<>();
    IdentityHashMap<Delivery, Set<String>> touched = new IdentityHashMap<>();
    List<Delivery> ok = new ArrayList<>();
    for (Delivery d : batch) {
      String problem = null;
      Set<String> names = new java.util.TreeSet<>();
      List<Map.Entry<String, SourceEvent>> routed = new ArrayList<>();
      for (RoutedEvent re : d.events()) {
        String key;
        try {
          key = SourceKeys.normalize(re.event().key());
        } catch (ZarrsyncException e) {
          problem = e.getMessage();
          break;
        }
        SourceEvent ev = new SourceEvent(key, re.event().kind());
        List<String> targets = route(re.collection(), key);
        if (targets == null) {
          problem = "no collection named '" + re.collection() + "' in this committer";
          break;
        }
        if (targets.isEmpty()) {
          noteUnmatched(key);
        }
        for (String t : targets) {
          routed.add(Map.entry(t, ev));
          names.add(t);
        }
      }
      synchronized (this) {
        events += d.events().size();
      }
      if (problem != null) {
        LOG.warn("rejecting {}: {}", d.describe(), problem);
        d.reject(problem);
        synchronized (this) {
          rejected++;
        }
        continue;
      }
      resync |= d.resync();
      if (d.resync()) {
        names.addAll(engines.keySet());
      }
      for (Map.Entry<String, SourceEvent> r : routed) {
        perEngine.computeIfAbsent(r.getKey(), k -> new ArrayList<>()).add(r.getValue());
      }
      touched.put(d, names);
      ok.add(d);
    }
    Set<String> failed = new java.util.TreeSet<>();
    ScheduledFuture<?> alive =
        keepAlive.scheduleAtFixedRate(
            () -> ok.forEach(Delivery::keepAlive),
            settings.keepAliveEvery().toMillis(),
            settings.keepAliveEvery().toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      for (Map.Entry<String, SyncEngine> e : engines.entrySet()) {
        List<SourceEvent> evs = perEngine.getOrDefault(e.getKey(), List.of());
        if (evs.isEmpty() && !resync) {
          continue;
        }
        try {
          SyncReport r =
              resync
                  ? e.getValue().sync(ProgressListener.NONE)
                  : e.getValue().apply(evs, ProgressListener.NONE);
          record(e.getKey(), r);
          if (!resync) {
            // events routed to a collection by name whose key its regex does not match
            r.unmatchedKeys().forEach(this::noteUnmatched);
          }
        } catch (RuntimeException ex) {
          failed.add(e.getKey());
          noteError(e.getKey() + ": " + ex.getMessage());
          LOG.error(
              "{}: batch of {} events failed, its deliveries will be retried: {}",
              e.getKey(),
              evs.size(),
              ex.toString());
        }
      }
    } finally {
      alive.cancel(false);
    }
    int back = 0;
    for (Delivery d : ok) {
      boolean good = touched.get(d).stream().noneMatch(failed::contains);
      if (!good) {
        back++;
      }
      settle(d, good);
    }
    synchronized (this) {
      acked += ok.size() - back;
      released += back;
      lastBatch = clock.instant();
      if (failed.isEmpty()) {
        failuresInARow = 0;
      } else {
        failedBatches++;
        failuresInARow++;
      }
    }
    if (!failed.isEmpty()) {
      pause();
    }
  }

  /**
   * Acknowledges or releases {@code d}. A feed that fails to do so must not stop the committer: the
   * delivery then comes back later and its events are applied again, which changes nothing.
   */
  private void settle(Delivery d, boolean committed) {
    try {
      if (committed) {
        d.ack();
      } else {
        d.release();
      }
    } catch (RuntimeException e) {
      noteError("cannot " + (committed ? "acknowledge " : "release ") + d.describe() + ": " + e);
      LOG.warn(
          "cannot {} {} ({}); it will be delivered again",
          committed ? "acknowledge" : "release",
          d.describe(),
          e.toString());
    }
  }

  /** Backs off after consecutive failures (100 ms doubling up to 30 s); {@link #stop} ends it. */
  private void pause() {
    int n;
    synchronized (this) {
      n = failuresInARow;
    }
    long ms = Math.min(30_000, 100L << Math.min(10, n - 1));
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    synchronized (wake) {
      long left;
      while (!stopping && (left = end - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(wake, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** The engines an event goes to: null if it names an unknown collection. */
  private List<String> route(String collection, String key) {
    if (collection != null) {
      return engines.containsKey(collection) ? List.of(collection) : null;
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, SyncEngine> e : engines.entrySet()) {
      if (e.getValue().config().matches(key)) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  private synchronized void record(String name, SyncReport r) {
    if (!r.commits().isEmpty()) {
      commits += r.commits().size();
      lastCommit.put(name, r.commits().get(r.commits().size() - 1));
    }
  }

  private synchronized void noteUnmatched(String key) {
    LOG.warn("no collection matches {}; the event is ignored", key);
    unmatchedEvents++;
    unmatched.addLast(key);
    while (unmatched.size() > UNMATCHED_KEPT) {
      unmatched.removeFirst();
    }
  }

  private synchronized void noteError(String message) {
    lastError = message;
    lastErrorAt = clock.instant();
  }

  /** What the committer has done so far. */
  public synchronized CommitterStats stats() {
    Map<String, Long> backlog = new LinkedHashMap<>();
    for (EventFeed f : feeds) {
      long b;
      try {
        b = f.backlog();
      } catch (RuntimeException e) {
        b = -1;
      }
      backlog.put(f.describe(), b);
    }
    return new CommitterStats(
        started,
        batches,
        failedBatches,
        failuresInARow,
        events,
        acked,
        rejected,
        released,
        commits,
        Map.copyOf(lastCommit),
        lastBatch,
        lastError,
        lastErrorAt,
        unmatchedEvents,
        List.copyOf(unmatched),
        backlog);
  }

  /** The engines, by collection name. */
  public Map<String, SyncEngine> engines() {
    return java.util.Collections.unmodifiableMap(engines);
  }

  /** Stops keep-alive timers; the engines and feeds belong to the caller. */
  public void shutdown() {
    stopping = true;
    keepAlive.shutdownNow();
  }
}
