package io.zarrsync.cli;

import io.zarrsync.core.QuarantineEntry;
import io.zarrsync.core.SyncEngine;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zarrsync quarantine}: list or retry files that could not be applied. */
@Command(
    name = "quarantine",
    mixinStandardHelpOptions = true,
    description = {
      "List the source files that could not be applied, with the reason; with --retry, apply",
      "them again (all, or the KEYs given). A quarantined file is also retried by sync as soon",
      "as it changes."
    })
final class QuarantineCommand implements Callable<Integer> {
  @Mixin CollectionOptions collection;

  @Option(names = "--retry", description = "Apply the quarantined files again.")
  boolean retry;

  @Parameters(paramLabel = "KEY", arity = "0..*", description = "Keys to retry (default: all).")
  List<String> keys = new ArrayList<>();

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (SyncEngine engine = collection.open("quarantine");
        EngineProgress progress = new EngineProgress(!json)) {
      if (retry) {
        return Output.report(spec, engine.retryQuarantined(keys, progress), json);
      }
      List<QuarantineEntry> q = engine.quarantine();
      if (json) {
        Output.json(spec, q);
      } else {
        PrintWriter out = spec.commandLine().getOut();
        for (QuarantineEntry e : q) {
          out.println(e.key() + "\t" + e.since() + "\t" + e.reason());
        }
        if (q.isEmpty()) {
          out.println("quarantine is empty");
        }
        out.flush();
      }
      return q.isEmpty() ? ExitCodes.OK : ExitCodes.PROBLEMS_FOUND;
    } finally {
      collection.shutdown();
    }
  }
}
