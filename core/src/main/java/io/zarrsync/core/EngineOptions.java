package io.zarrsync.core;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * How a {@link SyncEngine} runs.
 *
 * @param clock time source for commit records and quarantine entries
 * @param executor runs chunk reading and encoding; the caller owns it
 * @param parallelism how many chunk tasks the engine keeps in flight on {@code executor} (also
 *     bounds memory: each task holds at most about 32 MiB of chunks)
 * @param batchSize source files per transaction; larger batches mean fewer commits and fewer chunk
 *     rewrites, smaller ones mean earlier visibility
 * @param openFiles how many source files stay open between uses (each open NetCDF-4 file may keep a
 *     decode cache of tens of MiB; files are closed as soon as their last chunk is written)
 */
public record EngineOptions(
    Clock clock, Executor executor, int parallelism, int batchSize, int openFiles) {
  public EngineOptions {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(executor, "executor");
    if (parallelism < 1 || batchSize < 1 || openFiles < 1) {
      throw new IllegalArgumentException(
          "parallelism, batchSize and openFiles must be at least 1: "
              + parallelism
              + ", "
              + batchSize
              + ", "
              + openFiles);
    }
  }

  /** UTC system clock, the common pool with one task per core, batches of 500, 8 open files. */
  public static EngineOptions defaults() {
    return new EngineOptions(
        Clock.systemUTC(),
        ForkJoinPool.commonPool(),
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        500,
        8);
  }

  public EngineOptions withClock(Clock c) {
    return new EngineOptions(c, executor, parallelism, batchSize, openFiles);
  }

  public EngineOptions withExecutor(Executor e, int newParallelism) {
    return new EngineOptions(clock, e, newParallelism, batchSize, openFiles);
  }

  public EngineOptions withBatchSize(int b) {
    return new EngineOptions(clock, executor, parallelism, b, openFiles);
  }

  public EngineOptions withOpenFiles(int n) {
    return new EngineOptions(clock, executor, parallelism, batchSize, n);
  }
}
