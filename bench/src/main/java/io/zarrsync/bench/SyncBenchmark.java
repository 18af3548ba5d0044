package io.zarrsync.bench;

import io.zarrsync.core.config.CollectionConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The sync-engine benchmark (issue 5, acceptance item 4): zarrsync next to the old system ({@code
 * poc.py}, one process per event) and next to xarray, on the same generated files.
 *
 * <p>Usage: {@code SyncBenchmark ITEM WORKDIR REPO [--quick]} where ITEM is one of
 *
 * <ul>
 *   <li>{@code bulk}: {@code sync} of real-size GHRSST-like days (4500 x 6000), MB/s of source
 *       data;
 *   <li>{@code argo}: {@code sync} of Argo-like profile files, files per second;
 *   <li>{@code build}: {@code sync} of many small days into the stores the latency item uses;
 *   <li>{@code latency}: one created, revised and removed day into a small and a large store;
 *   <li>{@code summary}: the table of every item's saved figures and the targets.
 * </ul>
 *
 * Each item runs in its own JVM ({@code bench/sync-benchmark.sh} starts them with {@code -Xmx1g}),
 * so the peak RSS and heap it reports belong to that item alone.
 */
public final class SyncBenchmark {
  /** The memory target, in bytes (figures are printed in MB of 10^6 bytes). */
  static final long GB = 1_000_000_000L;

  /**
   * How much work a run does.
   *
   * @param sstDays real-size days synced by zarrsync
   * @param pocDays of those, the days poc.py handles (one process each)
   * @param xarrayDays of those, the days xarray appends
   * @param floats Argo floats
   * @param cycles cycles per float
   * @param pocArgoFiles Argo files poc.py handles (one process each)
   * @param smallStore days of the small latency store
   * @param bigStore days of the large latency store
   */
  record Sizes(
      int sstDays,
      int pocDays,
      int xarrayDays,
      int floats,
      int cycles,
      int pocArgoFiles,
      int smallStore,
      int bigStore) {}

  static final Sizes FULL = new Sizes(10, 3, 10, 50, 20, 20, 10, 1000);
  static final Sizes QUICK = new Sizes(3, 2, 3, 25, 20, 10, 10, 100);

  /** Grid of the latency stores: a tenth of the real grid each way, so 1,000 days stay small. */
  static final int SMALL_LAT = 450;

  static final int SMALL_LON = 600;
  static final int LAT = 4500;
  static final int LON = 6000;

  /**
   * What every item needs.
   *
   * @param jvmStartSeconds from the JVM's start to {@code main}: added to the first session's time
   *     so that it compares with a {@code zarrsync sync} process (and with poc.py's processes,
   *     whose interpreter start is counted)
   */
  record Context(
      Path work, Path repo, Path shared, boolean quick, Sizes sizes, double jvmStartSeconds) {
    Inputs inputs() {
      return new Inputs(shared.resolve("tools/gen_synthetic.py"), work.resolve("inputs"));
    }

    Baselines baselines() {
      return new Baselines(shared.resolve("tools/poc/poc.py"));
    }

    Path pocConfig(String name) {
      return shared.resolve("tools/poc").resolve(name);
    }

    CollectionConfig config(String example) {
      return CollectionConfig.load(repo.resolve("examples").resolve(example));
    }

    String mode() {
      return quick ? "quick" : "full";
    }
  }

  private SyncBenchmark() {}

  public static void main(String[] args) throws Exception {
    double jvmStart =
        (Clock.systemUTC().millis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
    List<String> a = Arrays.asList(args);
    if (a.size() < 3) {
      System.err.println(
          "usage: SyncBenchmark bulk|argo|build|latency|summary WORKDIR REPO [--quick]");
      System.exit(2);
    }
    boolean quick = a.contains("--quick");
    Path work = Paths.get(a.get(1)).toAbsolutePath().normalize();
    Path repo = Paths.get(a.get(2)).toAbsolutePath().normalize();
    String sharedProp = System.getProperty("zarrsync.shared");
    Path shared =
        sharedProp != null ? Paths.get(sharedProp) : repo.resolveSibling("shared").normalize();
    Context ctx = new Context(work, repo, shared, quick, quick ? QUICK : FULL, jvmStart);
    String item = a.get(0);
    Results results = Results.create(work, item);
    double loadBefore = Measure.loadAverage();
    Measure.watchHeapAfterGc();
    switch (item) {
      case "bulk" -> GridBulk.run(ctx, results);
      case "argo" -> ProfileRate.run(ctx, results);
      case "build" -> DayLatency.build(ctx, results);
      case "latency" -> DayLatency.run(ctx, results);
      case "summary" -> {
        Summary.print(ctx);
        return;
      }
      default -> {
        System.err.println("unknown item " + item);
        System.exit(2);
      }
    }
    long rss = Measure.peakRss();
    long heap = Measure.peakHeap();
    long live = Measure.peakHeapAfterGc();
    double loadAfter = Measure.loadAverage();
    results.put("mode", ctx.mode());
    results.put("load.before", loadBefore);
    results.put("load.after", loadAfter);
    results.put("rss", rss);
    results.put("heap", heap);
    results.put("heap.after.gc", live);
    results.put("max.heap", Runtime.getRuntime().maxMemory());
    results.save();
    System.out.printf(
        Locale.ROOT,
        "  zarrsync JVM (max heap %d MiB) for this item: peak RSS %.0f MB (target < 1 GB: %s), peak"
            + " heap used %.0f MB, peak heap after GC %.0f MB; machine load average %.1f before,"
            + " %.1f after%n",
        Runtime.getRuntime().maxMemory() >> 20,
        rss / 1e6,
        rss < GB ? "met" : "MISSED",
        heap / 1e6,
        live / 1e6,
        loadBefore,
        loadAfter);
  }
}
