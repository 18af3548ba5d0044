package io.zarrsync.core.lease;

import java.time.Duration;
import java.util.Objects;

/**
 * How a writer takes and keeps a store's lease.
 *
 * @param holder what the lease names as its holder (the command, e.g. {@code zarrsync sync}); the
 *     process id and host are added
 * @param ttl how long a lease lasts without renewal; the holder renews it every {@code ttl / 3}. A
 *     writer on another host waits this long after a crash before it may take over
 * @param waitFor how long to wait for a lease held by someone else before giving up; zero gives up
 *     at once
 * @param spool a directory where other processes may hand events to this holder, or null
 */
public record LeaseOptions(String holder, Duration ttl, Duration waitFor, String spool) {
  public LeaseOptions {
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(waitFor, "waitFor");
    if (ttl.toMillis() < 300) {
      throw new IllegalArgumentException("lease ttl must be at least 300 ms: " + ttl);
    }
    if (waitFor.isNegative()) {
      throw new IllegalArgumentException("lease wait must not be negative: " + waitFor);
    }
  }

  /** Holder {@code zarrsync}, 30 s leases, no waiting, no spool. */
  public static LeaseOptions defaults() {
    return new LeaseOptions("zarrsync", Duration.ofSeconds(30), Duration.ZERO, null);
  }

  public LeaseOptions withHolder(String h) {
    return new LeaseOptions(h, ttl, waitFor, spool);
  }

  public LeaseOptions withTtl(Duration t) {
    return new LeaseOptions(holder, t, waitFor, spool);
  }

  public LeaseOptions withWait(Duration w) {
    return new LeaseOptions(holder, ttl, w, spool);
  }

  public LeaseOptions withSpool(String s) {
    return new LeaseOptions(holder, ttl, waitFor, s);
  }

  /** Time left on the lease below which the holder stops before a commit or publish step. */
  public Duration margin() {
    return ttl.dividedBy(3);
  }
}
