package io.zarrsync.core;

/**
 * Receives progress of a long operation, phase by phase ("scan", "read", "write", "verify"). Called
 * from the engine's threads; implementations must be thread-safe and fast.
 */
public interface ProgressListener {
  /** A phase starts with {@code total} units of work (files or chunks). */
  void begin(String phase, long total);

  /** {@code units} more units of the current phase are done. */
  void advance(long units);

  /** Ignores everything. */
  ProgressListener NONE =
      new ProgressListener() {
        @Override
        public void begin(String phase, long total) {}

        @Override
        public void advance(long units) {}
      };
}
