package io.zarrsync.cli;

import io.zarrsync.core.CommitInfo;
import io.zarrsync.core.SyncEngine;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zarrsync log}: the commit log. */
@Command(
    name = "log",
    mixinStandardHelpOptions = true,
    description = "List the store's commits, newest first.")
final class LogCommand implements Callable<Integer> {
  @Mixin CollectionOptions collection;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Option(
      names = {"-n", "--limit"},
      paramLabel = "N",
      defaultValue = "20",
      description = "Show at most N commits (default: ${DEFAULT-VALUE}; 0 for all).")
  int limit;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<CommitInfo> log;
    try (SyncEngine engine = collection.open("log")) {
      log = new java.util.ArrayList<>(engine.log());
    } finally {
      collection.shutdown();
    }
    java.util.Collections.reverse(log);
    if (limit > 0 && log.size() > limit) {
      log = log.subList(0, limit);
    }
    if (json) {
      Output.json(spec, log);
      return ExitCodes.OK;
    }
    PrintWriter out = spec.commandLine().getOut();
    for (CommitInfo c : log) {
      out.printf(
          Locale.ROOT,
          "%5d  %s  %-6s +%d -%d !%d  rows %d/%d  chunks %d/%d  records %d%s%n",
          c.seq(),
          c.time(),
          c.operation(),
          c.applied().size(),
          c.removed().size(),
          c.quarantined().size(),
          c.rowsWritten(),
          c.rowsBlanked(),
          c.chunksWritten(),
          c.chunksDeleted(),
          c.records(),
          c.published() ? "" : "  (roll-forward pending)");
    }
    if (log.isEmpty()) {
      out.println("no commits");
    }
    out.flush();
    return ExitCodes.OK;
  }
}
