package io.zarrsync.cli;

import io.zarrsync.core.SyncReport;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** Prints results as text or JSON and picks the exit code. */
final class Output {
  private Output() {}

  static int report(CommandSpec spec, SyncReport report, boolean json) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(report));
      out.flush();
    } else {
      Reports.print(report, out, spec.commandLine().getErr());
    }
    return report.quarantined().isEmpty() ? ExitCodes.OK : ExitCodes.PROBLEMS_FOUND;
  }

  static void json(CommandSpec spec, Object value) {
    PrintWriter out = spec.commandLine().getOut();
    out.println(Json.write(value));
    out.flush();
  }
}
