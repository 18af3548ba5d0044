package io.zarrsync.bench;

import io.zarrsync.core.config.CollectionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Item 2: {@code sync} of Argo-like per-cycle profile files, in files per second, against the old
 * system (one poc.py process per created file) on a subset of the same files.
 */
final class ProfileRate {
  /** Arrival order: by float and cycle, a cycle's R file before its D file. */
  private static final Comparator<Path> ARRIVAL =
      Comparator.comparing((Path p) -> p.getFileName().toString().substring(1))
          .thenComparing(p -> p.getFileName().toString().charAt(0), Comparator.reverseOrder());

  private ProfileRate() {}

  static void run(SyncBenchmark.Context ctx, Results out) throws Exception {
    SyncBenchmark.Sizes s = ctx.sizes();
    List<Path> files = ctx.inputs().argo(s.floats(), s.cycles());
    Path dir = ctx.work().resolve("argo");
    Measure.deleteTree(dir);
    Path source = dir.resolve("source");
    Files.createDirectories(source);
    for (Path f : files) {
      Files.createLink(source.resolve(f.getFileName().toString()), f);
    }
    long dFiles = files.stream().filter(f -> f.getFileName().toString().startsWith("D")).count();
    CollectionConfig config = ctx.config("synthetic-argo.yaml");
    System.out.printf(
        Locale.ROOT,
        "item 2: sync of %d Argo-like profile files (%d floats x %d cycles, %d R + %d D), %.1f MB"
            + " of NetCDF-3, %d cores%n",
        files.size(),
        s.floats(),
        s.cycles(),
        files.size() - dFiles,
        dFiles,
        Measure.size(files) / 1e6,
        Runtime.getRuntime().availableProcessors());

    Path store = dir.resolve("zarrsync.zarr");
    Zarrsync.Timed cold;
    Zarrsync.Timed again;
    Zarrsync.Timed warm;
    try (Zarrsync zs = new Zarrsync()) {
      cold = zs.sync(config, source, store);
      Zarrsync.expect(cold, files.size(), 0, 0);
      again = zs.sync(config, source, store);
      if (!again.report().unchangedStore()) {
        throw new IllegalStateException("a second sync with nothing changed committed: " + again);
      }
      Measure.deleteTree(store);
      warm = zs.sync(config, source, store);
      Zarrsync.expect(warm, files.size(), 0, 0);
    }

    List<Path> subset =
        files.stream().sorted(ARRIVAL).limit(Math.min(s.pocArgoFiles(), files.size())).toList();
    Baselines.PocRun poc =
        ctx.baselines().pocCreated(dir.resolve("poc.zarr"), ctx.pocConfig("argo.json"), subset);

    double coldSeconds = cold.seconds() + ctx.jvmStartSeconds();
    double rate = files.size() / coldSeconds;
    double pocRate = subset.size() / poc.wallSeconds();
    System.out.printf(
        Locale.ROOT,
        "  zarrsync sync, fresh JVM     : %7.2f s %7.1f files/s (JVM start %.2f s included; %.1f"
            + " cores busy; %d profiles, %d commits, %d chunks written)%n",
        coldSeconds,
        rate,
        ctx.jvmStartSeconds(),
        cold.cores(),
        cold.report().records(),
        cold.report().commits().size(),
        cold.report().chunksWritten());
    System.out.printf(
        Locale.ROOT,
        "  zarrsync sync, warm JVM      : %7.2f s %7.1f files/s (%.1f cores busy)%n",
        warm.seconds(),
        files.size() / warm.seconds(),
        warm.cores());
    System.out.printf(
        Locale.ROOT, "  zarrsync sync, nothing changed: %6.3f s (no commit)%n", again.seconds());
    System.out.printf(
        Locale.ROOT,
        "  old system poc.py, %d file(s) : %7.2f s %7.2f files/s as run (one process each; %.2f"
            + " files/s inside Python; %s; peak RSS %.0f MB)%n",
        subset.size(),
        poc.wallSeconds(),
        pocRate,
        subset.size() / poc.inProcessSeconds(),
        Baselines.tally(poc.actions()),
        poc.peakRss() / 1e6);
    System.out.printf(
        Locale.ROOT,
        "  zarrsync: %.0f files/s (target >= 200/s: %s), %.0fx the old system%n",
        rate,
        rate >= 200 ? "met" : "MISSED",
        rate / pocRate);

    out.put("files", files.size());
    out.put("profiles", cold.report().records());
    out.put("zarrsync.seconds", coldSeconds);
    out.put("zarrsync.warm.seconds", warm.seconds());
    out.put("zarrsync.noop.seconds", again.seconds());
    out.put("poc.files", subset.size());
    out.put("poc.seconds", poc.wallSeconds());
    out.put("poc.inside.seconds", poc.inProcessSeconds());
    out.put("poc.rss", poc.peakRss());
    Measure.deleteTree(dir);
  }
}
