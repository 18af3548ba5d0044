package io.zarrsync.bench;

import java.io.IOException;
import java.util.Locale;

/** Prints the saved figures of every item of a run as the Markdown tables of bench/README.md. */
final class Summary {
  private Summary() {}

  static void print(SyncBenchmark.Context ctx) throws IOException {
    Results bulk = load(ctx, "bulk");
    Results argo = load(ctx, "argo");
    Results build = load(ctx, "build");
    Results lat = load(ctx, "latency");
    System.out.printf(
        Locale.ROOT,
        "%nsummary (%s mode, %d cores)%n%n",
        ctx.mode(),
        Runtime.getRuntime().availableProcessors());
    System.out.println(
        "| # | measure | zarrsync | old system (poc.py) | xarray | target | result |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    if (bulk != null) {
      double zs = bulk.get("mb") / bulk.get("zarrsync.seconds");
      double poc = bulk.get("poc.mb") / bulk.get("poc.seconds");
      double xr = bulk.get("xarray.mb") / bulk.get("xarray.seconds");
      row(
          "1",
          String.format(
              Locale.ROOT,
              "bulk sync, %.0f GHRSST-like days 4500 x 6000 (%.0f MB), MB/s of NetCDF",
              bulk.get("files"),
              bulk.get("mb")),
          String.format(Locale.ROOT, "%.1f MB/s", zs),
          String.format(
              Locale.ROOT,
              "%.2f MB/s (%.0f files, %.1f s/file)",
              poc,
              bulk.get("poc.files"),
              bulk.get("poc.seconds") / bulk.get("poc.files")),
          String.format(Locale.ROOT, "%.1f MB/s (%.0f files)", xr, bulk.get("xarray.files")),
          ">= 5x old system",
          verdict(zs / poc >= 5, "%.1fx old, %.1fx xarray", zs / poc, zs / xr));
    }
    if (argo != null) {
      double zs = argo.get("files") / argo.get("zarrsync.seconds");
      double poc = argo.get("poc.files") / argo.get("poc.seconds");
      row(
          "2",
          String.format(
              Locale.ROOT, "sync of %.0f Argo-like profile files, files/s", argo.get("files")),
          String.format(Locale.ROOT, "%.0f files/s", zs),
          String.format(Locale.ROOT, "%.2f files/s (%.0f files)", poc, argo.get("poc.files")),
          "-",
          ">= 200 files/s",
          verdict(zs >= 200, "%.0f files/s, %.0fx old", zs, zs / poc));
    }
    if (lat != null) {
      int small = (int) lat.get("small");
      int big = (int) lat.get("big");
      for (String kind : new String[] {"created", "revised", "removed"}) {
        double a = lat.get(kind + ".small");
        double b = lat.get(kind + ".big");
        row(
            "3",
            String.format(
                Locale.ROOT,
                "one %s day (%d x %d grid), store of %d vs %d days",
                kind,
                SyncBenchmark.SMALL_LAT,
                SyncBenchmark.SMALL_LON,
                small,
                big),
            String.format(
                Locale.ROOT, "%.0f ms vs %.0f ms (%+.0f ms)", a * 1000, b * 1000, (b - a) * 1000),
            "-",
            "-",
            "<= 1.5x",
            verdict(b / a <= 1.5, "%.2fx", b / a));
      }
      double r1 = lat.get("removed.small") / lat.get("created.small");
      double r2 = lat.get("removed.big") / lat.get("created.big");
      row(
          "4",
          String.format(Locale.ROOT, "removal / creation of a day (%d days; %d days)", small, big),
          String.format(Locale.ROOT, "%.2fx; %.2fx", r1, r2),
          "-",
          "-",
          "<= 1x",
          verdict(r1 <= 1 && r2 <= 1, "%.2fx; %.2fx", r1, r2));
    }
    long worst = 0;
    double maxHeap = Double.NaN;
    StringBuilder per = new StringBuilder();
    for (String[] item :
        new String[][] {
          {"bulk", "item 1"}, {"argo", "item 2"}, {"build", "store build"}, {"latency", "items 3-4"}
        }) {
      Results r = load(ctx, item[0]);
      if (r == null) {
        continue;
      }
      worst = Math.max(worst, (long) r.get("rss"));
      maxHeap = r.get("max.heap");
      per.append(per.length() == 0 ? "" : "; ")
          .append(
              String.format(
                  Locale.ROOT,
                  "%s %.0f MB (heap after GC %.0f MB)",
                  item[1],
                  r.get("rss") / 1e6,
                  r.get("heap.after.gc") / 1e6));
    }
    if (per.length() > 0) {
      String pocRss =
          bulk == null
              ? "-"
              : String.format(Locale.ROOT, "%.0f MB per event", bulk.get("poc.rss") / 1e6);
      String xrRss =
          bulk == null ? "-" : String.format(Locale.ROOT, "%.0f MB", bulk.get("xarray.rss") / 1e6);
      row(
          "5",
          String.format(
              Locale.ROOT,
              "peak RSS (VmHWM) of the zarrsync JVM, one JVM per item, max heap %.0f MiB",
              maxHeap / (1 << 20)),
          per.toString(),
          pocRss + " (item 1)",
          xrRss + " (item 1)",
          "< 1 GB",
          verdict(worst < SyncBenchmark.GB, "max %.0f MB", worst / 1e6));
    }
    StringBuilder loads = new StringBuilder();
    for (String item : new String[] {"bulk", "argo", "build", "latency"}) {
      Results r = load(ctx, item);
      if (r != null) {
        loads.append(
            String.format(
                Locale.ROOT, " %s %.1f-%.1f", item, r.get("load.before"), r.get("load.after")));
      }
    }
    System.out.println();
    System.out.println("machine load average (1 min) before-after each item:" + loads);
    if (build != null) {
      System.out.printf(
          Locale.ROOT,
          "store build for item 3: %.0f days in %.1f s (%.0f files/s), no-change sync %.2f s;"
              + " %.0f days in %.1f s%n",
          build.get("big"),
          build.get("seconds." + (int) build.get("big")),
          build.get("big") / build.get("seconds." + (int) build.get("big")),
          build.get("noop.seconds." + (int) build.get("big")),
          build.get("small"),
          build.get("seconds." + (int) build.get("small")));
    }
  }

  /** The item's results if it ran in this mode (a stale file of the other mode is ignored). */
  private static Results load(SyncBenchmark.Context ctx, String item) throws IOException {
    Results r = Results.load(ctx.work(), item);
    return r != null && r.text("mode").equals(ctx.mode()) ? r : null;
  }

  private static String verdict(boolean met, String format, Object... args) {
    return String.format(Locale.ROOT, format, args) + (met ? " **met**" : " **MISSED**");
  }

  private static void row(String... cells) {
    System.out.println("| " + String.join(" | ", cells) + " |");
  }
}
