package io.zarrsync.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place zarrsync retries store operations, with exponential backoff and full jitter. It
 * keeps two failures apart:
 *
 * <ul>
 *   <li>{@link TransientStoreException}: nothing happened, so the operation is simply repeated;
 *   <li>{@link UnknownOutcomeException}: the write may have happened. {@link #callIdempotent}
 *       repeats it anyway (writing the same bytes twice is harmless); {@link #callChecked} first
 *       asks the store whether it happened (for conditional creates such as the commit record,
 *       where "already exists" must be told apart from "someone else won"); {@link #call} does not
 *       retry it and lets the caller decide.
 * </ul>
 *
 * Any other exception is rethrown at once. Immutable and thread-safe; the sleeper is injectable so
 * that tests run without waiting.
 */
public final class Retry {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

  /** Waits between attempts. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private static final Sleeper THREAD_SLEEP = d -> Thread.sleep(d.toMillis());

  private final int attempts;
  private final Duration initial;
  private final Duration max;
  private final Sleeper sleeper;

  private Retry(int attempts, Duration initial, Duration max, Sleeper sleeper) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
    }
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 <= initial <= max: " + initial + ", " + max);
    }
    this.attempts = attempts;
    this.initial = initial;
    this.max = max;
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /** Six attempts, backoff from 100 ms doubling up to 5 s (about 10 s in all at worst). */
  public static Retry defaults() {
    return new Retry(6, Duration.ofMillis(100), Duration.ofSeconds(5), THREAD_SLEEP);
  }

  /** A single attempt: failures propagate unchanged. */
  public static Retry none() {
    return new Retry(1, Duration.ZERO, Duration.ZERO, THREAD_SLEEP);
  }

  public Retry withAttempts(int n) {
    return new Retry(n, initial, max, sleeper);
  }

  public Retry withBackoff(Duration first, Duration longest) {
    return new Retry(attempts, first, longest, sleeper);
  }

  public Retry withSleeper(Sleeper s) {
    return new Retry(attempts, initial, max, s);
  }

  public int attempts() {
    return attempts;
  }

  /**
   * Runs {@code op}, repeating it after a {@link TransientStoreException}.
   *
   * @param what names the operation in logs, e.g. {@code "put a/0.0"}
   * @throws TransientStoreException the last failure when every attempt failed
   * @throws UnknownOutcomeException at once: the caller must find out what happened
   */
  public <T> T call(String what, Supplier<T> op) {
    return loop(what, op, false, null);
  }

  /**
   * Runs an idempotent {@code op} (a plain put or delete), repeating it after a transient failure
   * or an unknown outcome.
   */
  public <T> T callIdempotent(String what, Supplier<T> op) {
    return loop(what, op, true, null);
  }

  /** {@link #callIdempotent} for operations without a result. */
  public void runIdempotent(String what, Runnable op) {
    loop(
        what,
        () -> {
          op.run();
          return Boolean.TRUE;
        },
        true,
        null);
  }

  /**
   * Runs a conditional write whose outcome can be checked afterwards. After an {@link
   * UnknownOutcomeException}, {@code check} says whether the write took effect: a present value is
   * returned as the result; empty means nothing happened and the write is tried again.
   *
   * @param check reads the store to find the write's effect; itself retried on transient failures
   */
  public <T> T callChecked(String what, Supplier<T> op, Supplier<Optional<T>> check) {
    Objects.requireNonNull(check, "check");
    return loop(what, op, false, check);
  }

  private <T> T loop(
      String what, Supplier<T> op, boolean unknownIsRetryable, Supplier<Optional<T>> check) {
    StoreException last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      if (last != null) {
        pause(what, attempt, last);
      }
      try {
        return op.get();
      } catch (TransientStoreException e) {
        last = e;
      } catch (UnknownOutcomeException e) {
        if (unknownIsRetryable) {
          last = e;
        } else if (check != null) {
          Optional<T> happened = call(what + " (checking outcome)", check);
          if (happened.isPresent()) {
            LOG.info("{}: outcome was unknown ({}); it did take effect", what, e.getMessage());
            return happened.get();
          }
          last = e;
        } else {
          throw e;
        }
      }
    }
    throw last;
  }

  private void pause(String what, int attempt, StoreException cause) {
    long cap = initial.toMillis() << Math.min(20, attempt - 2);
    long bound = Math.max(1, Math.min(max.toMillis(), cap));
    Duration d = Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound + 1));
    LOG.warn(
        "{} failed ({}); attempt {} of {} in {} ms",
        what,
        cause.getMessage(),
        attempt,
        attempts,
        d.toMillis());
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(what + ": interrupted while waiting to retry", e);
    }
  }
}
