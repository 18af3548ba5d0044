package io.zarrsync.bench;

import io.zarrsync.core.convert.ConvertOptions;
import io.zarrsync.core.convert.ConvertResult;
import io.zarrsync.core.convert.Converter;
import io.zarrsync.zarr.store.FileSystemStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * Converts real-size NetCDF-4 files (e.g. a 4500 x 6000 GHRSST-like day) with zarrsync and with
 * xarray ({@code open_dataset(f).to_zarr(...)}) and prints throughput, memory and the ratio.
 *
 * <p>Usage: {@code ConvertBenchmark WORKDIR FILE.nc [FILE.nc ...]}. Run it through {@code
 * bench/convert-benchmark.sh}, which makes the input and caps the heap at 1 GB.
 */
public final class ConvertBenchmark {
  private static final String XARRAY =
      """
      import resource, shutil, sys, time
      import xarray as xr
      store, files = sys.argv[1], sys.argv[2:]
      best = None
      for rep in range(2):
          shutil.rmtree(store, ignore_errors=True)
          t0 = time.perf_counter()
          for i, f in enumerate(files):
              ds = xr.open_dataset(f)
              if i == 0:
                  ds.to_zarr(store, mode="w")
              else:
                  ds.to_zarr(store, append_dim=list(ds.dims)[0])
              ds.close()
          dt = time.perf_counter() - t0
          best = dt if best is None else min(best, dt)
      print(best, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
      """;

  private ConvertBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ConvertBenchmark WORKDIR FILE.nc [FILE.nc ...]");
      System.exit(2);
    }
    Path work = Paths.get(args[0]);
    List<Path> files = java.util.Arrays.stream(args).skip(1).map(Paths::get).toList();
    Files.createDirectories(work);
    long bytes = Measure.size(files);
    Path ours = work.resolve("zarrsync.zarr");

    // Warm-up run (JIT, native zstd load), then the best of two measured runs.
    double best = Double.MAX_VALUE;
    long peakHeap = 0;
    ConvertResult last = null;
    for (int rep = 0; rep < 3; rep++) {
      Measure.deleteTree(ours);
      Measure.resetPeakHeap();
      last =
          new Converter(ConvertOptions.defaults())
              .convert(files, new FileSystemStore(ours, false), Converter.Listener.NONE);
      if (rep > 0) {
        best = Math.min(best, last.seconds());
        peakHeap = Math.max(peakHeap, Measure.peakHeap());
      }
    }
    long ourStore = storeSize(ours);

    Path theirs = work.resolve("xarray.zarr");
    List<String> pyArgs = new java.util.ArrayList<>(List.of(theirs.toString()));
    files.forEach(f -> pyArgs.add(f.toString()));
    List<String> py =
        java.util.Arrays.asList(Measure.python(XARRAY, pyArgs, 3600).trim().split("\\s+", -1));
    double xrSeconds = Double.parseDouble(py.get(0));
    long xrRss = Long.parseLong(py.get(1));
    long theirStore = storeSize(theirs);

    double mb = bytes / 1e6;
    System.out.printf(
        Locale.ROOT, "convert benchmark: %d file(s), %.1f MB of NetCDF%n", files.size(), mb);
    System.out.printf(
        Locale.ROOT,
        "  zarrsync convert : %7.2f s  %7.1f MB/s  peak heap %5.0f MB  peak RSS %5.0f MB  store %6.1f MB (%d chunks, zstd)%n",
        best,
        mb / best,
        peakHeap / 1e6,
        Measure.peakRss() / 1e6,
        ourStore / 1e6,
        last.chunksWritten());
    System.out.printf(
        Locale.ROOT,
        "  xarray to_zarr   : %7.2f s  %7.1f MB/s                   peak RSS %5.0f MB  store %6.1f MB (blosc default)%n",
        xrSeconds,
        mb / xrSeconds,
        xrRss / 1e6,
        theirStore / 1e6);
    System.out.printf(
        Locale.ROOT,
        "  throughput ratio zarrsync/xarray: %.2fx (target >= 3x); peak heap %s 1 GB%n",
        xrSeconds / best,
        peakHeap < 1_000_000_000L ? "<" : ">=");
  }

  private static long storeSize(Path root) throws java.io.IOException {
    try (var s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
