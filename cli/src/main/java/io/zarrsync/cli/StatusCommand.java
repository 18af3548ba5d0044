package io.zarrsync.cli;

import io.zarrsync.core.StoreStatus;
import io.zarrsync.core.SyncEngine;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zarrsync status}: what the store holds. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show what the store holds: commit, dimensions, records, files, quarantine.")
final class StatusCommand implements Callable<Integer> {
  @Mixin CollectionOptions collection;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    StoreStatus s;
    try (SyncEngine engine = collection.open("status")) {
      s = engine.status();
    } finally {
      collection.shutdown();
    }
    if (json) {
      Output.json(spec, s);
      return ExitCodes.OK;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "collection  %s%nstore       %s%n", s.collection(), s.store());
    if (!s.initialized()) {
      out.println("state       empty (no file applied yet)");
    } else {
      out.printf(
          Locale.ROOT,
          "commit      %d at %s%ndims        %s (record dim %s)%nrecords     %d identities, %d"
              + " shown%nfiles       %d live, %d quarantined, %d missing a variable%n",
          s.commit(),
          s.lastCommitTime(),
          s.dims(),
          s.recordDim(),
          s.identities(),
          s.shown(),
          s.liveFiles(),
          s.quarantined(),
          s.filesMissingVariables());
    }
    out.flush();
    return ExitCodes.OK;
  }
}
