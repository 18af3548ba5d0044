package io.zarrsync.core.layout.grid;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A regular time axis: slot i holds the instant {@code origin + i * step}. A file's time t goes to
 * slot {@code floor((t - origin) / step)}, where t up to {@link #TOLERANCE} before a slot boundary
 * counts as on it (times stored as floating-point days are rarely exact).
 *
 * @param dim the record dimension, e.g. {@code time}
 * @param variable the coordinate variable holding the times, usually the same name
 * @param step slot length
 * @param origin the instant of slot 0
 * @param coordinateChunk chunk length of the time coordinate array (many slots per object, so
 *     reading the coordinate is a few requests even for decades of daily data)
 */
public record GridAxis(
    String dim, String variable, Duration step, Instant origin, int coordinateChunk) {
  /** How far before a slot boundary a time still counts as on it. */
  public static final Duration TOLERANCE = Duration.ofMillis(1);

  public GridAxis {
    Objects.requireNonNull(dim, "dim");
    Objects.requireNonNull(variable, "variable");
    Objects.requireNonNull(origin, "origin");
    if (coordinateChunk < 1) {
      throw new IllegalArgumentException("coordinateChunk must be positive: " + coordinateChunk);
    }
    if (step == null || step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("step must be positive: " + step);
    }
  }

  /**
   * The slot of instant {@code t}, or -1 if it is before the origin.
   *
   * @throws ArithmeticException if t is absurdly far from the origin
   */
  public long slot(Instant t) {
    Duration off = Duration.between(origin, t).plus(TOLERANCE);
    if (off.isNegative()) {
      return -1;
    }
    long stepNanos = step.toNanos();
    long offNanos = off.toNanos();
    return offNanos / stepNanos;
  }

  /** The nominal instant of slot {@code slot}. */
  public Instant instant(long slot) {
    return origin.plus(step.multipliedBy(slot));
  }
}
