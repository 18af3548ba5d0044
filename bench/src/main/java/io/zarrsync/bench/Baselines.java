package io.zarrsync.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Python references: the old system ({@code poc.py}, one process per event, as it ran) and
 * plain xarray ({@code open_dataset} + {@code to_zarr} append, all files in one process).
 */
final class Baselines {
  private static final Pattern POC_LINE =
      Pattern.compile("poc: (\\S+) .* ([0-9.]+) s maxrss ([0-9.]+) MB");
  private static final long TIMEOUT_SECONDS = 3600;

  private static final String XARRAY =
      """
      import resource, sys, time
      import xarray as xr
      store, dim, files = sys.argv[1], sys.argv[2], sys.argv[3:]
      t0 = time.perf_counter()
      for i, f in enumerate(files):
          ds = xr.open_dataset(f)
          if i == 0:
              ds.to_zarr(store, mode="w")
          else:
              ds.to_zarr(store, append_dim=dim)
          ds.close()
      print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
      """;

  private final Path poc;

  /**
   * @param poc path of {@code poc.py}
   */
  Baselines(Path poc) {
    this.poc = poc;
  }

  /**
   * The old system's figures for a sequence of events.
   *
   * @param files events handled
   * @param wallSeconds sum of the processes' wall times (interpreter start and imports included)
   * @param inProcessSeconds sum of the times poc.py reports itself (reading the file to done)
   * @param peakRss largest VmHWM of one process, in bytes
   * @param actions what poc.py did for each event (write, append, overwrite, blank)
   */
  record PocRun(
      int files, double wallSeconds, double inProcessSeconds, long peakRss, List<String> actions) {}

  /** Runs {@code poc.py STORE CONFIG created FILE} once per file, in order, in a new store. */
  PocRun pocCreated(Path store, Path config, List<Path> files)
      throws IOException, InterruptedException {
    Measure.deleteTree(store);
    Measure.deleteTree(store.resolveSibling(store.getFileName() + ".sync"));
    double wall = 0;
    double inside = 0;
    long rss = 0;
    List<String> actions = new ArrayList<>();
    for (Path f : files) {
      Measure.Run r =
          Measure.run(
              List.of(
                  Measure.PYTHON,
                  poc.toString(),
                  store.toString(),
                  config.toString(),
                  "created",
                  f.toString()),
              TIMEOUT_SECONDS);
      Matcher m = POC_LINE.matcher(r.out());
      if (!m.find()) {
        throw new IllegalStateException("unexpected poc.py output for " + f + ": " + r.out());
      }
      wall += r.seconds();
      inside += Double.parseDouble(m.group(2));
      rss = Math.max(rss, (long) (Double.parseDouble(m.group(3)) * 1024 * 1024));
      actions.add(m.group(1));
    }
    return new PocRun(files.size(), wall, inside, rss, actions);
  }

  /**
   * xarray's figures for appending files to a new store in one process.
   *
   * @param seconds time from the first open to the last write (interpreter start excluded)
   * @param peakRss the process's maximum resident set, in bytes
   */
  record XarrayRun(double seconds, long peakRss) {}

  /** Appends each file along {@code dim} with xarray, in one process, in a new store. */
  XarrayRun xarrayAppend(Path store, String dim, List<Path> files)
      throws IOException, InterruptedException {
    Measure.deleteTree(store);
    List<String> args = new ArrayList<>(List.of(store.toString(), dim));
    files.forEach(f -> args.add(f.toString()));
    String[] out = Measure.python(XARRAY, args, TIMEOUT_SECONDS).trim().split("\\s+", -1);
    return new XarrayRun(Double.parseDouble(out[0]), Long.parseLong(out[1]));
  }

  /** "write=1,append=2" style tally of poc.py's actions. */
  static String tally(List<String> actions) {
    StringBuilder b = new StringBuilder();
    actions.stream()
        .distinct()
        .sorted()
        .forEach(
            a ->
                b.append(b.length() == 0 ? "" : ",")
                    .append(
                        String.format(
                            Locale.ROOT, "%s=%d", a, actions.stream().filter(a::equals).count())));
    return b.toString();
  }
}
