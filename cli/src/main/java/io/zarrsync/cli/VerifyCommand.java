package io.zarrsync.cli;

import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.VerifyReport;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zarrsync verify}: compare the store with its live source files. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Re-read every live source file and compare each region of the store with its file.",
      "Exit code 1 when anything differs (drift)."
    })
final class VerifyCommand implements Callable<Integer> {
  @Mixin CollectionOptions collection;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    VerifyReport r;
    try (SyncEngine engine = collection.open("verify");
        EngineProgress progress = new EngineProgress(!json)) {
      r = engine.verify(progress);
    } finally {
      collection.shutdown();
    }
    if (json) {
      Output.json(spec, r);
    } else {
      PrintWriter out = spec.commandLine().getOut();
      for (VerifyReport.Drift d : r.drifts()) {
        out.printf(
            Locale.ROOT,
            "drift: row %d (%s) from %s, array %s: %s%n",
            d.row(),
            d.identity(),
            d.key(),
            d.array(),
            d.reason());
      }
      out.printf(
          Locale.ROOT,
          "%s: %d record(s) from %d file(s) checked, %d difference(s)%s%n",
          r.clean() ? "clean" : "DRIFT",
          r.checkedRecords(),
          r.checkedFiles(),
          r.drifts().size(),
          r.pending().isEmpty()
              ? ""
              : "; " + r.pending().size() + " source change(s) not yet synced (run sync)");
      out.flush();
    }
    return r.clean() ? ExitCodes.OK : ExitCodes.PROBLEMS_FOUND;
  }
}
