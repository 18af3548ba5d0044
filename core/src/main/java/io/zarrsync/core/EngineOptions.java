package io.zarrsync.core;

import io.zarrsync.api.Retry;
import io.zarrsync.core.lease.LeaseOptions;
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
 * @param lease how the engine takes and keeps the store's lease before it writes
 * @param retry how the engine retries a batch whose store operations failed transiently
 */
public record EngineOptions(
    Clock clock,
    Executor executor,
    int parallelism,
    int batchSize,
    int openFiles,
    LeaseOptions lease,
    Retry retry) {
  public EngineOptions {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(retry, "retry");
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

  /**
   * UTC system clock, the common pool with one task per core, batches of 500, 8 open files, default
   * lease (30 s, no waiting) and retries.
   */
  public static EngineOptions defaults() {
    return new EngineOptions(
        Clock.systemUTC(),
        ForkJoinPool.commonPool(),
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        500,
        8,
        LeaseOptions.defaults(),
        Retry.defaults());
  }

  public EngineOptions withClock(Clock c) {
    return new EngineOptions(c, executor, parallelism, batchSize, openFiles, lease, retry);
  }

  public EngineOptions withExecutor(Executor e, int newParallelism) {
    return new EngineOptions(clock, e, newParallelism, batchSize, openFiles, lease, retry);
  }

  public EngineOptions withBatchSize(int b) {
    return new EngineOptions(clock, executor, parallelism, b, openFiles, lease, retry);
  }

  public EngineOptions withOpenFiles(int n) {
    return new EngineOptions(clock, executor, parallelism, batchSize, n, lease, retry);
  }

  public EngineOptions withLease(LeaseOptions l) {
    return new EngineOptions(clock, executor, parallelism, batchSize, openFiles, l, retry);
  }

  public EngineOptions withRetry(Retry r) {
    return new EngineOptions(clock, executor, parallelism, batchSize, openFiles, lease, r);
  }
}
