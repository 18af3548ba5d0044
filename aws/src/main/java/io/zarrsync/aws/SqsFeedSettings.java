package io.zarrsync.aws;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.api.Retry;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link SqsFeed} reads its queue.
 *
 * @param queueUrl the queue S3 notifications arrive on
 * @param deadLetterQueueUrl where poison messages go, with their reason, or null to leave them on
 *     the queue for its redrive policy
 * @param visibility how long a received message stays hidden from other consumers; renewed while
 *     its batch is applied (SQS counts whole seconds, from 1 s to 12 h)
 * @param longPoll the longest a receive waits for messages (SQS allows up to 20 s); the feed never
 *     waits longer than the poll timeout the committer gives
 * @param retry how failed SQS requests are retried
 */
public record SqsFeedSettings(
    String queueUrl,
    String deadLetterQueueUrl,
    Duration visibility,
    Duration longPoll,
    Retry retry) {

  /** The default visibility timeout. */
  public static final Duration DEFAULT_VISIBILITY = Duration.ofMinutes(5);

  /** SQS's longest long poll. */
  public static final Duration MAX_LONG_POLL = Duration.ofSeconds(20);

  private static final Duration MAX_VISIBILITY = Duration.ofHours(12);

  public SqsFeedSettings {
    if (queueUrl == null || queueUrl.isBlank()) {
      throw new InvalidConfigException("an SQS queue URL is needed");
    }
    if (deadLetterQueueUrl != null && deadLetterQueueUrl.isBlank()) {
      deadLetterQueueUrl = null;
    }
    if (queueUrl.equals(deadLetterQueueUrl)) {
      throw new InvalidConfigException(
          "the dead-letter queue must differ from the queue it serves: " + queueUrl);
    }
    Objects.requireNonNull(visibility, "visibility");
    if (visibility.compareTo(Duration.ofSeconds(1)) < 0
        || visibility.compareTo(MAX_VISIBILITY) > 0) {
      throw new InvalidConfigException(
          "SQS visibility timeout must be between 1s and 12h, not " + visibility);
    }
    Objects.requireNonNull(longPoll, "longPoll");
    if (longPoll.isNegative() || longPoll.compareTo(MAX_LONG_POLL) > 0) {
      throw new InvalidConfigException("SQS long poll must be between 0s and 20s, not " + longPoll);
    }
    Objects.requireNonNull(retry, "retry");
  }

  /** The queue, no dead-letter queue, 5 min visibility, 20 s long polls, default retries. */
  public static SqsFeedSettings of(String queueUrl) {
    return new SqsFeedSettings(queueUrl, null, DEFAULT_VISIBILITY, MAX_LONG_POLL, Retry.defaults());
  }

  public SqsFeedSettings withDeadLetterQueue(String url) {
    return new SqsFeedSettings(queueUrl, url, visibility, longPoll, retry);
  }

  public SqsFeedSettings withVisibility(Duration d) {
    return new SqsFeedSettings(queueUrl, deadLetterQueueUrl, d, longPoll, retry);
  }

  public SqsFeedSettings withLongPoll(Duration d) {
    return new SqsFeedSettings(queueUrl, deadLetterQueueUrl, visibility, d, retry);
  }

  public SqsFeedSettings withRetry(Retry r) {
    return new SqsFeedSettings(queueUrl, deadLetterQueueUrl, visibility, longPoll, r);
  }

  /** The visibility in whole seconds, rounded up, as SQS takes it. */
  int visibilitySeconds() {
    long s = visibility.toSeconds() + (visibility.toNanosPart() > 0 ? 1 : 0);
    return (int) Math.min(s, MAX_VISIBILITY.toSeconds());
  }
}
