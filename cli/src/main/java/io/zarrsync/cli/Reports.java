package io.zarrsync.cli;

import io.zarrsync.core.QuarantineEntry;
import io.zarrsync.core.SyncReport;
import java.io.PrintWriter;
import java.util.Locale;

/** Human-readable renderings of engine results. */
final class Reports {
  private Reports() {}

  /** Prints a one-paragraph summary of a run; problems go to {@code err}. */
  static void print(SyncReport r, PrintWriter out, PrintWriter err) {
    String commit =
        r.commits().isEmpty()
            ? "store unchanged (no commit)"
            : "commit " + join(r.commits().stream().map(String::valueOf).toList());
    out.printf(
        Locale.ROOT,
        "%s: %d file(s) considered: %d added, %d changed, %d removed, %d unchanged, %d quarantined"
            + " -> %s%n",
        r.collection(),
        r.considered(),
        r.added(),
        r.changed(),
        r.removed(),
        r.unchanged(),
        r.quarantined().size(),
        commit);
    if (!r.commits().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "  rows written %d, blanked %d; chunks written %d, deleted %d; %d record(s) in %s;"
              + " %.1f MB of NetCDF in %.2f s%n",
          r.rowsWritten(),
          r.rowsBlanked(),
          r.chunksWritten(),
          r.chunksDeleted(),
          r.records(),
          r.store(),
          r.sourceBytes() / 1e6,
          r.seconds());
    }
    for (QuarantineEntry q : r.quarantined()) {
      err.println("zarrsync: quarantined " + q.key() + ": " + q.reason());
    }
    if (!r.unmatchedKeys().isEmpty()) {
      err.printf(
          Locale.ROOT,
          "zarrsync: %d key(s) match no collection and were not applied, e.g. %s%n",
          r.unmatchedKeys().size(),
          r.unmatchedKeys().get(0));
    }
    out.flush();
    err.flush();
  }

  private static String join(java.util.List<String> parts) {
    return String.join(", ", parts);
  }
}
