package io.zarrsync.api;

import java.time.Instant;

/**
 * Another committer holds the store's lease, so this process did not write anything. Wait for it
 * ({@code --wait}), hand the events to it (its spool directory), or retry after the lease expires.
 */
public class LeaseHeldException extends StoreConflictException {
  private static final long serialVersionUID = 1L;

  private final String holder;
  private final Instant expires;

  public LeaseHeldException(String message, String holder, Instant expires) {
    super(message);
    this.holder = holder;
    this.expires = expires;
  }

  /** Who holds the lease, e.g. {@code zarrsync serve pid 4242 on host1}. */
  public String holder() {
    return holder;
  }

  /** When the holder's lease runs out unless it renews it. */
  public Instant expires() {
    return expires;
  }
}
