package io.zarrsync.cli;

import io.zarrsync.core.ProgressListener;

/** Shows the engine's phases as progress bars on a terminal. */
final class EngineProgress implements ProgressListener, AutoCloseable {
  private final boolean enabled;
  private Progress current;

  EngineProgress(boolean enabled) {
    this.enabled = enabled;
  }

  @Override
  public synchronized void begin(String phase, long total) {
    if (current != null) {
      current.close();
    }
    current = new Progress(phase, enabled);
    current.start(total);
  }

  @Override
  public synchronized void advance(long units) {
    if (current != null) {
      current.step(units);
    }
  }

  @Override
  public synchronized void close() {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
