package io.zarrsync.core.lease;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.zarrsync.api.LeaseHeldException;
import io.zarrsync.api.Retry;
import io.zarrsync.api.StoreConflictException;
import io.zarrsync.api.StoreException;
import io.zarrsync.core.txn.TxnKeys;
import io.zarrsync.zarr.store.Store;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to write one store: one committer per store at a time.
 *
 * <p>The lease is a series of objects {@code .zarrsync/lease/<epoch>.json}; the one with the
 * highest epoch is current. A writer takes the lease by creating epoch {@code n + 1} only if
 * absent, which it may do when epoch {@code n} is released or expired; two writers racing for an
 * expired lease both try to create the same key, and only one succeeds. The holder renews its
 * record every {@code ttl / 3} on a background thread and checks before each commit and publish
 * step that it still has at least {@link LeaseOptions#margin()} left ({@link #check()}).
 *
 * <p>On a local-disk store the writer also holds an OS file lock ({@link LocalLock}): a second
 * process on the same host is refused at once, and a lease left by a process of this host that died
 * (SIGKILL, power loss) is taken over at once instead of after its expiry.
 *
 * <p>The commit-log record created only if absent stays the safety net: even a writer whose lease
 * lapsed unnoticed cannot commit over another writer's commit.
 */
public final class StoreLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreLease.class);
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** Where lease objects live. */
  public static final String PREFIX = TxnKeys.ROOT + "lease/";

  private final Store store;
  private final LeaseOptions options;
  private final Clock clock;
  private final Retry retry;
  private final LocalLock local;
  private final ScheduledExecutorService renewer;
  private volatile LeaseRecord mine;
  private volatile String lost;

  private StoreLease(
      Store store,
      LeaseOptions options,
      Clock clock,
      Retry retry,
      LocalLock local,
      LeaseRecord mine) {
    this.store = store;
    this.options = options;
    this.clock = clock;
    this.retry = retry;
    this.local = local;
    this.mine = mine;
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "zarrsync-lease-" + mine.epoch());
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(100, options.ttl().toMillis() / 3);
    var unused =
        renewer.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lease of {@code store}, waiting up to {@link LeaseOptions#waitFor()} for its holder.
   *
   * @throws LeaseHeldException if someone else holds it after the wait
   */
  public static StoreLease acquire(Store store, LeaseOptions options, Clock clock, Retry retry) {
    long deadline = System.nanoTime() + options.waitFor().toNanos();
    long pause = Math.min(1000, Math.max(50, options.ttl().toMillis() / 10));
    while (true) {
      try {
        return tryAcquire(store, options, clock, retry);
      } catch (LeaseHeldException e) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw e;
        }
        LOG.info("{}; waiting", e.getMessage());
        try {
          Thread.sleep(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static StoreLease tryAcquire(
      Store store, LeaseOptions options, Clock clock, Retry retry) {
    Optional<LocalLock> local = Optional.empty();
    if (store.localDirectory().isPresent()) {
      local = LocalLock.tryLock(store.localDirectory().get());
      if (local.isEmpty()) {
        throw held(store, current(store, retry), "another process on this host is writing it");
      }
    }
    try {
      Optional<LeaseRecord> latest = current(store, retry);
      Instant now = clock.instant();
      String host = hostName();
      boolean takeover =
          latest.isEmpty()
              || latest.get().free(now)
              || (local.isPresent() && host.equals(latest.get().host()));
      if (!takeover) {
        throw held(store, latest, null);
      }
      if (latest.isPresent() && !latest.get().free(now)) {
        LOG.warn(
            "{}: taking over the lease of {}, which died holding it (its file lock is free)",
            store.describe(),
            latest.get().holder());
      }
      long pid = ProcessHandle.current().pid();
      LeaseRecord rec =
          new LeaseRecord(
              latest.map(l -> l.epoch() + 1).orElse(1L),
              UUID.randomUUID().toString(),
              options.holder() + " (pid " + pid + " on " + host + ")",
              host,
              pid,
              now,
              now.plus(options.ttl()),
              false,
              options.spool());
      byte[] bytes = encode(rec);
      String key = key(rec.epoch());
      boolean created =
          retry.callChecked(
              "create lease " + key,
              () -> store.putIfAbsent(key, bytes),
              () -> store.get(key).map(b -> Arrays.equals(b, bytes)));
      if (!created) {
        throw held(store, current(store, retry), null);
      }
      for (String old : store.list(PREFIX)) {
        long e = epochOf(old);
        if (e >= 0 && e < rec.epoch()) {
          retry.runIdempotent("delete " + old, () -> store.delete(old));
        }
      }
      LOG.debug("{}: lease {} taken by {}", store.describe(), rec.epoch(), rec.holder());
      StoreLease lease = new StoreLease(store, options, clock, retry, local.orElse(null), rec);
      local = Optional.empty();
      return lease;
    } finally {
      local.ifPresent(LocalLock::close);
    }
  }

  /** The current lease record of {@code store} (held, expired or released), if any. */
  public static Optional<LeaseRecord> current(Store store, Retry retry) {
    for (int attempt = 0; attempt < 10; attempt++) {
      List<String> keys = retry.callIdempotent("list " + PREFIX, () -> store.list(PREFIX));
      String highest = null;
      for (String k : keys) {
        if (epochOf(k) >= 0) {
          highest = k;
        }
      }
      if (highest == null) {
        return Optional.empty();
      }
      String k = highest;
      Optional<byte[]> b = retry.callIdempotent("get " + k, () -> store.get(k));
      if (b.isPresent()) {
        return Optional.of(decode(b.get(), store.describe() + "/" + k));
      }
      // a newer holder deleted it after taking a newer epoch: list again
    }
    throw new StoreException(store.describe() + ": lease objects keep changing; retry");
  }

  /** This holder's record. */
  public LeaseRecord record() {
    return mine;
  }

  /**
   * Fails unless this process still holds the lease with at least {@link LeaseOptions#margin()}
   * left; renews it first if it is close to that. Called before each commit and publish step.
   *
   * @throws StoreConflictException if the lease was lost or cannot be renewed in time
   */
  public void check() {
    if (lost != null) {
      throw new StoreConflictException(store.describe() + ": lost the lease: " + lost);
    }
    Instant now = clock.instant();
    if (now.plus(options.margin()).isBefore(mine.expires())) {
      return;
    }
    renew();
    if (!clock.instant().plus(options.margin()).isBefore(mine.expires())) {
      throw new StoreConflictException(
          store.describe() + ": lease runs out at " + mine.expires() + "; stopping before writing");
    }
  }

  /**
   * Like {@link #check()}, and also makes sure no other writer took a newer lease (one store read);
   * called right before the commit point.
   */
  public void checkBeforeCommit() {
    check();
    if (supersededNow()) {
      check();
    }
  }

  /**
   * Looks for a newer epoch (one store read); when there is one, this lease is lost from now on.
   */
  private boolean supersededNow() {
    String next = key(mine.epoch() + 1);
    if (retry.callIdempotent("exists " + next, () -> store.exists(next))) {
      lost = "another writer took lease " + (mine.epoch() + 1) + " (" + next + " exists)";
      return true;
    }
    return false;
  }

  /**
   * True unless this lease was released, found lost, or superseded by a newer epoch (one store
   * read).
   */
  public boolean stillHeld() {
    if (lost != null || supersededNow()) {
      return false;
    }
    return clock.instant().isBefore(mine.expires());
  }

  private synchronized void renew() {
    if (lost != null || supersededNow()) {
      return;
    }
    LeaseRecord renewed = mine.renewed(clock.instant().plus(options.ttl()));
    byte[] bytes = encode(renewed);
    retry.runIdempotent("renew lease", () -> store.put(key(mine.epoch()), bytes));
    mine = renewed;
  }

  private void renewQuietly() {
    try {
      renew();
    } catch (RuntimeException e) {
      LOG.warn("{}: cannot renew the lease: {}", store.describe(), e.getMessage());
    }
  }

  /** Gives the lease up: the next writer need not wait for it to expire. */
  @Override
  public synchronized void close() {
    renewer.shutdownNow();
    try {
      if (lost == null) {
        String next = key(mine.epoch() + 1);
        if (!store.exists(next)) {
          byte[] bytes = encode(mine.asReleased(clock.instant()));
          retry.runIdempotent("release lease", () -> store.put(key(mine.epoch()), bytes));
        }
      }
    } catch (StoreException e) {
      LOG.warn(
          "{}: cannot release the lease ({}); it expires at {}",
          store.describe(),
          e.getMessage(),
          mine.expires());
    } finally {
      lost = "released";
      if (local != null) {
        local.close();
      }
    }
  }

  private static LeaseHeldException held(Store store, Optional<LeaseRecord> rec, String why) {
    if (rec.isEmpty() || rec.get().released()) {
      return new LeaseHeldException(
          store.describe()
              + " is being written by another zarrsync process ("
              + (why == null ? "it took the lease first" : why)
              + "); nothing was written. Retry later, or use --wait",
          "another process",
          null);
    }
    LeaseRecord r = rec.get();
    StringBuilder msg =
        new StringBuilder(store.describe())
            .append(" is being written by ")
            .append(r.holder())
            .append(" since ")
            .append(r.acquired())
            .append(" (lease until ")
            .append(r.expires())
            .append("); nothing was written. Retry later, or use --wait");
    if (r.spool() != null) {
      msg.append(", or hand events to it through its spool ").append(r.spool());
    }
    return new LeaseHeldException(msg.toString(), r.holder(), r.expires());
  }

  static String key(long epoch) {
    return PREFIX + String.format("%020d", epoch) + ".json";
  }

  static long epochOf(String key) {
    if (!key.startsWith(PREFIX) || !key.endsWith(".json")) {
      return -1;
    }
    try {
      return Long.parseLong(key.substring(PREFIX.length(), key.length() - 5));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static byte[] encode(LeaseRecord r) {
    try {
      return JSON.writeValueAsBytes(r);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode lease " + r.epoch(), e);
    }
  }

  private static LeaseRecord decode(byte[] b, String where) {
    try {
      return JSON.readValue(b, LeaseRecord.class);
    } catch (IOException e) {
      throw new StoreException(where + ": damaged lease record: " + e.getMessage(), e);
    }
  }

  private static volatile String host;

  /** This host's name as leases record it ({@code HOSTNAME}, else the resolver's). */
  public static String hostName() {
    String h = host;
    if (h == null) {
      h = System.getenv("HOSTNAME");
      if (h == null || h.isBlank()) {
        try {
          h = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
          h = "unknown-host";
        }
      }
      host = h;
    }
    return h;
  }

  /** How long a lease lasts, for messages. */
  public Duration ttl() {
    return options.ttl();
  }
}
