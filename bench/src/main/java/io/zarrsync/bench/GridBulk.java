package io.zarrsync.bench;

import io.zarrsync.core.config.CollectionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Item 1: bulk {@code sync} of real-size GHRSST-like days, in MB/s of source NetCDF, against the
 * old system (one poc.py process per created file) and xarray (one process appending every file).
 */
final class GridBulk {
  private GridBulk() {}

  static void run(SyncBenchmark.Context ctx, Results out) throws Exception {
    SyncBenchmark.Sizes s = ctx.sizes();
    List<Path> files = ctx.inputs().sstDays(s.sstDays(), SyncBenchmark.LAT, SyncBenchmark.LON);
    Path dir = ctx.work().resolve("bulk");
    Measure.deleteTree(dir);
    Path source = dir.resolve("source");
    Files.createDirectories(source);
    for (Path f : files) {
      Files.createLink(source.resolve(f.getFileName().toString()), f);
    }
    CollectionConfig config = ctx.config("synthetic-sst.yaml");
    double mb = Measure.size(files) / 1e6;
    System.out.printf(
        Locale.ROOT,
        "item 1: bulk sync of %d GHRSST-like days (%d x %d), %.1f MB of NetCDF-4%n",
        files.size(),
        SyncBenchmark.LAT,
        SyncBenchmark.LON,
        mb);

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
    long storeBytes = Measure.treeSize(store);

    List<Path> pocFiles = files.subList(0, Math.min(s.pocDays(), files.size()));
    double pocMb = Measure.size(pocFiles) / 1e6;
    Baselines.PocRun poc =
        ctx.baselines().pocCreated(dir.resolve("poc.zarr"), ctx.pocConfig("sst.json"), pocFiles);
    List<Path> xrFiles = files.subList(0, Math.min(s.xarrayDays(), files.size()));
    double xrMb = Measure.size(xrFiles) / 1e6;
    Baselines.XarrayRun xr =
        ctx.baselines().xarrayAppend(dir.resolve("xarray.zarr"), "time", xrFiles);

    double coldSeconds = cold.seconds() + ctx.jvmStartSeconds();
    double zsRate = mb / coldSeconds;
    double pocRate = pocMb / poc.wallSeconds();
    double pocInside = pocMb / poc.inProcessSeconds();
    double xrRate = xrMb / xr.seconds();
    System.out.printf(
        Locale.ROOT,
        "  zarrsync sync, fresh JVM     : %7.2f s %7.1f MB/s  %6.2f s/file  (JVM start %.2f s"
            + " included; %.1f cores busy; %d chunks written, store %.0f MB)%n",
        coldSeconds,
        zsRate,
        coldSeconds / files.size(),
        ctx.jvmStartSeconds(),
        cold.cores(),
        cold.report().chunksWritten(),
        storeBytes / 1e6);
    System.out.printf(
        Locale.ROOT,
        "  zarrsync sync, warm JVM      : %7.2f s %7.1f MB/s  %6.2f s/file  (%.1f cores busy)%n",
        warm.seconds(),
        mb / warm.seconds(),
        warm.seconds() / files.size(),
        warm.cores());
    System.out.printf(
        Locale.ROOT, "  zarrsync sync, nothing changed: %6.3f s (no commit)%n", again.seconds());
    System.out.printf(
        Locale.ROOT,
        "  old system poc.py, %d file(s) : %7.2f s %7.1f MB/s  %6.2f s/file as run (one process"
            + " each; %.2f s/file inside Python, %.1f MB/s; %s; peak RSS %.0f MB)%n",
        pocFiles.size(),
        poc.wallSeconds(),
        pocRate,
        poc.wallSeconds() / pocFiles.size(),
        poc.inProcessSeconds() / pocFiles.size(),
        pocInside,
        Baselines.tally(poc.actions()),
        poc.peakRss() / 1e6);
    System.out.printf(
        Locale.ROOT,
        "  xarray open_dataset+to_zarr, %d file(s): %7.2f s %7.1f MB/s  %6.2f s/file (one process,"
            + " peak RSS %.0f MB)%n",
        xrFiles.size(),
        xr.seconds(),
        xrRate,
        xr.seconds() / xrFiles.size(),
        xr.peakRss() / 1e6);
    System.out.printf(
        Locale.ROOT,
        "  ratio zarrsync/old system: %.1fx (target >= 5x: %s; %.1fx against poc.py's in-process"
            + " time); zarrsync/xarray: %.1fx%n",
        zsRate / pocRate,
        zsRate / pocRate >= 5 ? "met" : "MISSED",
        zsRate / pocInside,
        zsRate / xrRate);

    out.put("files", files.size());
    out.put("mb", mb);
    out.put("zarrsync.seconds", coldSeconds);
    out.put("zarrsync.warm.seconds", warm.seconds());
    out.put("zarrsync.noop.seconds", again.seconds());
    out.put("poc.files", pocFiles.size());
    out.put("poc.mb", pocMb);
    out.put("poc.seconds", poc.wallSeconds());
    out.put("poc.inside.seconds", poc.inProcessSeconds());
    out.put("poc.rss", poc.peakRss());
    out.put("xarray.files", xrFiles.size());
    out.put("xarray.mb", xrMb);
    out.put("xarray.seconds", xr.seconds());
    out.put("xarray.rss", xr.peakRss());
    // The stores are GBs at this size; only the inputs are worth keeping between runs.
    Measure.deleteTree(dir);
  }
}
