package io.zarrsync.service;

import io.zarrsync.api.Retry;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Committer} batches.
 *
 * @param batchSize events per batch: a batch closes when it holds this many events
 * @param window how long a batch stays open after its first event arrives, to gather more
 * @param idlePoll how long one poll of the feeds waits when nothing is pending
 * @param keepAliveEvery how often deliveries of a batch being applied are kept alive (queue
 *     visibility)
 * @param backoff not used yet: the committer waits 100 ms doubling up to 30 s between failed
 *     batches and retries until stopped (Retry exposes no delays to take them from)
 */
public record CommitterSettings(
    int batchSize, Duration window, Duration idlePoll, Duration keepAliveEvery, Retry backoff) {
  public CommitterSettings {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1: " + batchSize);
    }
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(idlePoll, "idlePoll");
    Objects.requireNonNull(keepAliveEvery, "keepAliveEvery");
    Objects.requireNonNull(backoff, "backoff");
  }

  /** Batches of up to 500 events gathered for at most 2 s; polls every second when idle. */
  public static CommitterSettings defaults() {
    return new CommitterSettings(
        500,
        Duration.ofSeconds(2),
        Duration.ofSeconds(1),
        Duration.ofSeconds(20),
        Retry.defaults());
  }

  public CommitterSettings withBatchSize(int n) {
    return new CommitterSettings(n, window, idlePoll, keepAliveEvery, backoff);
  }

  public CommitterSettings withWindow(Duration w) {
    return new CommitterSettings(batchSize, w, idlePoll, keepAliveEvery, backoff);
  }

  public CommitterSettings withIdlePoll(Duration d) {
    return new CommitterSettings(batchSize, window, d, keepAliveEvery, backoff);
  }

  public CommitterSettings withKeepAliveEvery(Duration d) {
    return new CommitterSettings(batchSize, window, idlePoll, d, backoff);
  }
}
