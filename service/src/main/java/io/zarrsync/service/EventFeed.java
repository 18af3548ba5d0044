package io.zarrsync.service;

import java.time.Duration;
import java.util.List;

/**
 * Where a committer takes its events from: a spool directory, a queue. Deliveries stay pending
 * until the committer acknowledges them, so a committer that dies loses nothing (at-least-once; the
 * engine makes repeats harmless).
 */
public interface EventFeed extends AutoCloseable {
  /**
   * Waits up to {@code timeout} for deliveries and returns at most {@code max} of them (possibly
   * none). A delivery returned is not returned again until it is released.
   */
  List<Delivery> poll(int max, Duration timeout) throws InterruptedException;

  /** A human-readable description, e.g. {@code spool /var/spool/zarrsync}. */
  String describe();

  /** How many deliveries are waiting, if the feed can tell cheaply; -1 otherwise. */
  default long backlog() {
    return -1;
  }

  @Override
  default void close() {}
}
