package io.zarrsync.service;

import java.util.List;

/**
 * One unit of events from a feed that is acknowledged as a whole: a spool file, a queue message.
 * The committer calls exactly one of {@link #ack}, {@link #reject} or {@link #release} once the
 * delivery's events were committed, found unusable, or could not be applied now.
 */
public interface Delivery {
  /** The events; empty for a delivery that only asks for a full reconcile ({@link #resync}). */
  List<RoutedEvent> events();

  /** True if the producer lost track of changes (e.g. a watch overflow): reconcile everything. */
  default boolean resync() {
    return false;
  }

  /** Where it came from, for logs and parked files, e.g. a file name or message id. */
  String describe();

  /** Its events are committed (or were no-ops): forget it. */
  void ack();

  /** It can never be applied (malformed): park it visibly with the reason. */
  void reject(String reason);

  /** It was not applied this time (store error): deliver it again later. */
  void release();

  /** Called while a long batch is being applied, so that a queue does not redeliver it. */
  default void keepAlive() {}
}
