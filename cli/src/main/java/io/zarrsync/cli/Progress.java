package io.zarrsync.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error, shown only when a person is watching (a terminal is attached)
 * and the output is not JSON, so scripts and logs stay clean.
 */
final class Progress implements AutoCloseable {
  private final String task;
  private final boolean enabled;
  private ProgressBar bar;

  Progress(String task, boolean enabled) {
    this.task = task;
    this.enabled = enabled && isTerminal();
  }

  /** True when standard error is an interactive terminal (not a pipe, file or CI log). */
  @SuppressWarnings("SystemConsoleNull") // on JDK 17 a null console is exactly "not a terminal"
  static boolean isTerminal() {
    return System.console() != null
        && System.getenv("TERM") != null
        && !"dumb".equals(System.getenv("TERM"));
  }

  synchronized void start(long total) {
    if (!enabled || bar != null) {
      return;
    }
    PrintStream err = System.err;
    bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(200)
            .setMaxRenderedLength(100)
            .setConsumer(new ConsoleProgressBarConsumer(err))
            .showSpeed()
            .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
            .hideEta()
            .build();
  }

  synchronized void step(long n) {
    if (bar != null) {
      bar.stepBy(n);
    }
  }

  synchronized void maxHint(long total) {
    if (bar != null) {
      bar.maxHint(total);
    }
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
