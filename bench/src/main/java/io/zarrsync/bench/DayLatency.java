package io.zarrsync.bench;

import io.zarrsync.core.SourceEvent;
import io.zarrsync.core.config.CollectionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Items 3 and 4: the latency of one created, revised and removed day into a store of a few days
 * against a store of many days, on a reduced grid (so that 1,000 days of input stay small).
 *
 * <p>{@link #build} syncs the two stores from cached days (its own item, so that its RSS is that of
 * a many-file sync). {@link #run} works on hard-linked copies of them, so every run starts from the
 * same stores: one event per engine session (open, apply, close, as {@code zarrsync apply} does),
 * each on {@value #REPS} different days in each of {@value #ROUNDS} rounds, the two stores taking
 * turns event by event; median reported.
 */
final class DayLatency {
  /** Events of each kind per round, each on a different day. */
  private static final int REPS = 3;

  /** Rounds, each on a fresh copy of the stores; every event is timed REPS x ROUNDS times. */
  private static final int ROUNDS = 5;

  private DayLatency() {}

  private static Path dir(SyncBenchmark.Context ctx) {
    return ctx.work().resolve("latency");
  }

  private static Path source(SyncBenchmark.Context ctx, int days) {
    return dir(ctx).resolve("source-" + days);
  }

  private static Path store(SyncBenchmark.Context ctx, int days) {
    return dir(ctx).resolve("store-" + days + ".zarr");
  }

  /** Syncs the small and the large store from days 0..n-1 of the reduced grid. */
  static void build(SyncBenchmark.Context ctx, Results out) throws Exception {
    SyncBenchmark.Sizes s = ctx.sizes();
    // REPS extra days past the large store: the "created" days of the latency item.
    List<Path> days =
        ctx.inputs().sstDays(s.bigStore() + REPS, SyncBenchmark.SMALL_LAT, SyncBenchmark.SMALL_LON);
    CollectionConfig config = ctx.config("synthetic-sst.yaml");
    System.out.printf(
        Locale.ROOT,
        "stores for items 3-4: sync of %d and %d days of a %d x %d grid%n",
        s.smallStore(),
        s.bigStore(),
        SyncBenchmark.SMALL_LAT,
        SyncBenchmark.SMALL_LON);
    try (Zarrsync zs = new Zarrsync()) {
      for (int n : new int[] {s.smallStore(), s.bigStore()}) {
        Path source = source(ctx, n);
        Path store = store(ctx, n);
        Measure.deleteTree(source);
        Measure.deleteTree(store);
        Files.createDirectories(source);
        for (Path d : days.subList(0, n)) {
          Files.createLink(source.resolve(d.getFileName().toString()), d);
        }
        double mb = Measure.size(days.subList(0, n)) / 1e6;
        Zarrsync.Timed t = zs.sync(config, source, store);
        Zarrsync.expect(t, n, 0, 0);
        Zarrsync.Timed again = zs.sync(config, source, store);
        if (!again.report().unchangedStore()) {
          throw new IllegalStateException("a second sync with nothing changed committed");
        }
        System.out.printf(
            Locale.ROOT,
            "  %4d days: sync %6.2f s, %6.1f files/s, %5.1f MB/s (%d commits); again with nothing"
                + " changed %.3f s; store %.0f MB%n",
            n,
            t.seconds(),
            n / t.seconds(),
            mb / t.seconds(),
            t.report().commits().size(),
            again.seconds(),
            Measure.treeSize(store) / 1e6);
        out.put("days." + n, n);
        out.put("seconds." + n, t.seconds());
        out.put("noop.seconds." + n, again.seconds());
      }
    }
    out.put("small", s.smallStore());
    out.put("big", s.bigStore());
  }

  /** One kind of event timed REPS x ROUNDS times. */
  private static final class Series {
    final double[] seconds = new double[REPS * ROUNDS];
    final double[] open = new double[REPS * ROUNDS];

    double median() {
      return med(seconds);
    }

    double medianOpen() {
      return med(open);
    }

    private static double med(double[] v) {
      double[] c = v.clone();
      Arrays.sort(c);
      return c[c.length / 2];
    }
  }

  /** Created, revised and removed series into one store size. */
  private record Latencies(int days, Series created, Series revised, Series removed) {
    Latencies(int days) {
      this(days, new Series(), new Series(), new Series());
    }
  }

  static void run(SyncBenchmark.Context ctx, Results out) throws Exception {
    SyncBenchmark.Sizes s = ctx.sizes();
    int[] sizes = {s.smallStore(), s.bigStore()};
    for (int n : sizes) {
      if (!Files.exists(store(ctx, n).resolve(".zarrsync"))) {
        throw new IllegalStateException(
            "no store of " + n + " days at " + store(ctx, n) + ": run the build item first");
      }
    }
    List<Path> days =
        ctx.inputs().sstDays(s.bigStore() + REPS, SyncBenchmark.SMALL_LAT, SyncBenchmark.SMALL_LON);
    for (int n : sizes) {
      for (int i = 0; i < REPS; i++) {
        ctx.inputs().revisedSst(n / 2 + i, SyncBenchmark.SMALL_LAT, SyncBenchmark.SMALL_LON);
      }
    }
    CollectionConfig config = ctx.config("synthetic-sst.yaml");
    List<Latencies> all = new ArrayList<>();
    for (int n : sizes) {
      all.add(new Latencies(n));
    }
    try (Zarrsync zs = new Zarrsync()) {
      // Unmeasured round first, so that JIT warm-up is not charged to the first events.
      round(ctx, zs, config, days, List.of(new Latencies(s.smallStore())), 0);
      for (int r = 0; r < ROUNDS; r++) {
        round(ctx, zs, config, days, all, r * REPS);
      }
    }
    Measure.deleteTree(dir(ctx).resolve("scratch"));
    Latencies small = all.get(0);
    Latencies big = all.get(1);
    System.out.printf(
        Locale.ROOT,
        "items 3-4: latency of one event (engine open + apply + close, median of %d), %d x %d grid%n",
        REPS * ROUNDS,
        SyncBenchmark.SMALL_LAT,
        SyncBenchmark.SMALL_LON);
    System.out.printf(
        Locale.ROOT,
        "  %-8s %10s %10s %8s %9s   (of which engine open: %d days / %d days)%n",
        "event",
        small.days() + " days",
        big.days() + " days",
        "ratio",
        "growth",
        small.days(),
        big.days());
    row(out, "created", small.created(), big.created());
    row(out, "revised", small.revised(), big.revised());
    row(out, "removed", small.removed(), big.removed());
    for (Latencies l : all) {
      double r = l.removed().median() / l.created().median();
      System.out.printf(
          Locale.ROOT,
          "  removal / creation at %d days: %.2fx (target <= 1x: %s)%n",
          l.days(),
          r,
          r <= 1 ? "met" : "MISSED");
    }
    out.put("small", small.days());
    out.put("big", big.days());
  }

  private static void row(Results out, String kind, Series small, Series big) {
    double ratio = big.median() / small.median();
    System.out.printf(
        Locale.ROOT,
        "  %-8s %7.0f ms %7.0f ms %7.2fx %+6.0f ms   (%.0f ms / %.0f ms) target <= 1.5x: %s%n",
        kind,
        small.median() * 1000,
        big.median() * 1000,
        ratio,
        (big.median() - small.median()) * 1000,
        small.medianOpen() * 1000,
        big.medianOpen() * 1000,
        ratio <= 1.5 ? "met" : "MISSED");
    out.put(kind + ".small", small.median());
    out.put(kind + ".big", big.median());
    out.put(kind + ".small.open", small.medianOpen());
    out.put(kind + ".big.open", big.medianOpen());
  }

  /**
   * On fresh copies of the stores: creates days n.., revises days n/2.. (the file at the same key
   * replaced by gen_synthetic's revision) and removes days 1.., one event each. The stores take
   * turns event by event, so that both sizes see the same machine load.
   */
  private static void round(
      SyncBenchmark.Context ctx,
      Zarrsync zs,
      CollectionConfig config,
      List<Path> days,
      List<Latencies> stores,
      int first)
      throws IOException, InterruptedException {
    Path scratch = dir(ctx).resolve("scratch");
    Measure.deleteTree(scratch);
    for (Latencies l : stores) {
      Measure.linkTree(source(ctx, l.days()), scratch.resolve(l.days() + "/source"));
      Measure.linkTree(store(ctx, l.days()), scratch.resolve(l.days() + "/store.zarr"));
    }
    for (int i = 0; i < REPS; i++) {
      for (Latencies l : stores) {
        int n = l.days();
        Path source = scratch.resolve(n + "/source");
        String key = Inputs.sstName(n + i);
        Files.createLink(source.resolve(key), days.get(n + i));
        time(l.created(), first + i, event(zs, config, scratch, n, SourceEvent.created(key)), 1, 0);
      }
      for (Latencies l : stores) {
        int n = l.days();
        int day = n / 2 + i;
        String key = Inputs.sstName(day);
        Path revised =
            ctx.inputs().revisedSst(day, SyncBenchmark.SMALL_LAT, SyncBenchmark.SMALL_LON);
        // Replaces the link with a new file: the cached original is untouched.
        Files.copy(
            revised,
            scratch.resolve(n + "/source").resolve(key),
            StandardCopyOption.REPLACE_EXISTING);
        time(l.revised(), first + i, event(zs, config, scratch, n, SourceEvent.created(key)), 0, 1);
      }
      for (Latencies l : stores) {
        int n = l.days();
        String key = Inputs.sstName(1 + i);
        Files.delete(scratch.resolve(n + "/source").resolve(key));
        time(l.removed(), first + i, event(zs, config, scratch, n, SourceEvent.removed(key)), 0, 0);
      }
    }
  }

  private static Zarrsync.Timed event(
      Zarrsync zs, CollectionConfig config, Path scratch, int n, SourceEvent e) {
    return zs.apply(config, scratch.resolve(n + "/source"), scratch.resolve(n + "/store.zarr"), e);
  }

  /** Records a sample; {@code added} and {@code changed} are 0 or 1, a removal otherwise. */
  private static void time(Series series, int i, Zarrsync.Timed t, int added, int changed) {
    Zarrsync.expect(t, added, changed, added + changed == 0 ? 1 : 0);
    series.seconds[i] = t.seconds();
    series.open[i] = t.openSeconds();
  }
}
