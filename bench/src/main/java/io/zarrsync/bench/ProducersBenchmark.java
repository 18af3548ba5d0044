package io.zarrsync.bench;

import io.zarrsync.core.EngineOptions;
import io.zarrsync.core.SourceEvent;
import io.zarrsync.core.StoreStatus;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.service.Committer;
import io.zarrsync.service.CommitterSettings;
import io.zarrsync.service.CommitterStats;
import io.zarrsync.service.RoutedEvent;
import io.zarrsync.service.Spool;
import io.zarrsync.zarr.store.FileSystemStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commit throughput of one committer fed by 1, 4 and 16 producers (issue 6, acceptance 5: "it must
 * not fall as producers are added").
 *
 * <p>One in-process {@link Committer} (what {@code zarrsync serve} runs) over a durable {@link
 * FileSystemStore} and a {@link Spool}, with {@code zarrsync serve}'s settings: batches of 500
 * events, engine transactions of 500 files, one worker per core; the batch window is 1 s here
 * ({@code --window}). P producer threads share N generated GHRSST-like days (file i belongs to
 * producer i mod P); for each of its files, as fast as it can, a producer copies the file into the
 * source directory (under a temporary name, then renamed, as a real producer must) and drops one
 * spool event file for it. A run is timed from the first event written to the moment a reader (a
 * second, read-only engine on the store, as {@code zarrsync status} is) sees every file committed
 * in the store's manifest, polled every {@value #POLL_MS} ms. Each run starts on a fresh store and
 * spool; runs cycle through the producer counts, so that every count sees the same machine load,
 * after one unmeasured warm-up run (JIT).
 *
 * <p>Usage: {@code ProducersBenchmark WORKDIR REPO [--files N] [--lat N] [--lon N] [--reps N]
 * [--producers 1,4,16] [--window DURATION] [--quick]}.
 */
public final class ProducersBenchmark {
  static final int POLL_MS = 50;
  private static final double KEEP = 0.9;
  private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(10);

  /**
   * One measured run.
   *
   * @param producers producer threads
   * @param seconds first event to the last file committed
   * @param produceSeconds first event to the last event written
   * @param commits commits in the store
   * @param batches committer batches
   * @param events events the committer took
   */
  record Trial(
      int producers,
      double seconds,
      double produceSeconds,
      long commits,
      long batches,
      long events,
      int files) {
    double filesPerSecond() {
      return files / seconds;
    }
  }

  private ProducersBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> a = new ArrayList<>(Arrays.asList(args));
    if (a.size() < 2 || a.get(0).startsWith("-") || a.get(1).startsWith("-")) {
      System.err.println(
          "usage: ProducersBenchmark WORKDIR REPO [--files N] [--lat N] [--lon N] [--reps N]"
              + " [--producers 1,4,16] [--window DURATION] [--quick]");
      System.exit(2);
    }
    boolean quick = a.remove("--quick");
    int files = Integer.parseInt(option(a, "--files", quick ? "200" : "600"));
    int lat = Integer.parseInt(option(a, "--lat", "180"));
    int lon = Integer.parseInt(option(a, "--lon", "360"));
    int reps = Integer.parseInt(option(a, "--reps", quick ? "1" : "3"));
    Duration window = duration(option(a, "--window", "1s"));
    List<Integer> counts =
        Arrays.stream(option(a, "--producers", "1,4,16").split(",", -1))
            .map(String::strip)
            .map(Integer::parseInt)
            .toList();
    Path work = Paths.get(a.get(0)).toAbsolutePath().normalize();
    Path repo = Paths.get(a.get(1)).toAbsolutePath().normalize();
    String sharedProp = System.getProperty("zarrsync.shared");
    Path shared =
        sharedProp != null ? Paths.get(sharedProp) : repo.resolveSibling("shared").normalize();

    Inputs inputs = new Inputs(shared.resolve("tools/gen_synthetic.py"), work.resolve("inputs"));
    List<Path> days = inputs.sstDays(files, lat, lon);
    CollectionConfig config =
        CollectionConfig.load(repo.resolve("examples").resolve("synthetic-sst.yaml"));
    CommitterSettings settings = CommitterSettings.defaults().withWindow(window);
    Path runs = work.resolve("producers");
    double loadBefore = Measure.loadAverage();
    System.out.printf(
        Locale.ROOT,
        "producers benchmark: %d GHRSST-like days %d x %d (%.1f MB of NetCDF-4), producers %s,"
            + " %d repetition(s); committer batch %d events, window %d ms, engine batch 500"
            + " files, %d worker(s); load average %.1f%n",
        files,
        lat,
        lon,
        Measure.size(days) / 1e6,
        counts,
        reps,
        settings.batchSize(),
        settings.window().toMillis(),
        Runtime.getRuntime().availableProcessors(),
        loadBefore);

    int warm = counts.get(counts.size() / 2);
    Trial w = trial(config, settings, days, warm, runs);
    System.out.printf(
        Locale.ROOT,
        "  warm-up (not counted): %d producers, %.0f files/s%n",
        warm,
        w.filesPerSecond());
    Map<Integer, List<Trial>> trials = new LinkedHashMap<>();
    counts.forEach(p -> trials.put(p, new ArrayList<>()));
    for (int r = 1; r <= reps; r++) {
      for (int p : counts) {
        Trial t = trial(config, settings, days, p, runs);
        trials.get(p).add(t);
        System.out.printf(
            Locale.ROOT,
            "  run %d, %2d producer(s): %6.1f files/s (%.2f s; events written in %.2f s);"
                + " %d commits, %d batches, %.0f events per batch; load %.1f%n",
            r,
            p,
            t.filesPerSecond(),
            t.seconds(),
            t.produceSeconds(),
            t.commits(),
            t.batches(),
            (double) t.events() / t.batches(),
            Measure.loadAverage());
      }
    }
    Measure.deleteTree(runs);
    double loadAfter = Measure.loadAverage();
    Results results = Results.create(work, "producers");
    report(trials, files, reps, results);
    results.put("files", files);
    results.put("lat", lat);
    results.put("lon", lon);
    results.put("reps", reps);
    results.put("window.ms", settings.window().toMillis());
    results.put("load.before", loadBefore);
    results.put("load.after", loadAfter);
    results.save();
    System.out.printf(
        Locale.ROOT,
        "machine load average (1 min) %.1f before, %.1f after; %d cores%n",
        loadBefore,
        loadAfter,
        Runtime.getRuntime().availableProcessors());
  }

  private static String option(List<String> args, String name, String fallback) {
    int i = args.indexOf(name);
    if (i < 0) {
      return fallback;
    }
    if (i + 1 >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    String v = args.get(i + 1);
    args.remove(i + 1);
    args.remove(i);
    return v;
  }

  /** {@code 500ms} or {@code 1.5s}. */
  private static Duration duration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("s")) {
      return Duration.ofMillis(
          Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
    }
    throw new IllegalArgumentException("--window wants e.g. 500ms or 1s, not " + text);
  }

  /** Prints the table, the ratios and the verdict; saves the medians. */
  private static void report(
      Map<Integer, List<Trial>> trials, int files, int reps, Results results) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "| producers | files/s (median of %d) | range | seconds | commits | files per commit |"
            + " events per batch | events written in |%n",
        reps);
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
    List<Integer> counts = new ArrayList<>(trials.keySet());
    Map<Integer, Double> median = new LinkedHashMap<>();
    for (int p : counts) {
      List<Trial> ts = trials.get(p);
      List<Trial> byRate =
          ts.stream().sorted(Comparator.comparingDouble(Trial::filesPerSecond)).toList();
      Trial mid = byRate.get(byRate.size() / 2);
      median.put(p, mid.filesPerSecond());
      double commits = ts.stream().mapToLong(Trial::commits).average().orElse(Double.NaN);
      double batches = ts.stream().mapToLong(Trial::batches).average().orElse(Double.NaN);
      double events = ts.stream().mapToLong(Trial::events).average().orElse(Double.NaN);
      System.out.printf(
          Locale.ROOT,
          "| %d | %.1f | %.1f-%.1f | %.2f | %.1f | %.0f | %.0f | %.2f s |%n",
          p,
          mid.filesPerSecond(),
          byRate.get(0).filesPerSecond(),
          byRate.get(byRate.size() - 1).filesPerSecond(),
          mid.seconds(),
          commits,
          files / commits,
          events / batches,
          mid.produceSeconds());
      results.put("p" + p + ".files.per.s", mid.filesPerSecond());
      results.put("p" + p + ".seconds", mid.seconds());
      results.put("p" + p + ".commits", commits);
      results.put("p" + p + ".batches", batches);
    }
    System.out.println();
    int first = counts.get(0);
    StringBuilder ratios = new StringBuilder();
    for (int p : counts.subList(1, counts.size())) {
      double ratio = median.get(p) / median.get(first);
      ratios.append(String.format(Locale.ROOT, "  %d/%d producers: %.2fx%n", p, first, ratio));
      results.put("ratio." + p + "." + first, ratio);
    }
    System.out.print(ratios);
    boolean pass = true;
    StringBuilder steps = new StringBuilder();
    for (int i = 1; i < counts.size(); i++) {
      double step = median.get(counts.get(i)) / median.get(counts.get(i - 1));
      pass &= step >= KEEP;
      steps.append(
          String.format(
              Locale.ROOT,
              "%s%d->%d %.2fx",
              i > 1 ? ", " : "",
              counts.get(i - 1),
              counts.get(i),
              step));
    }
    results.put("pass", pass ? "PASS" : "FAIL");
    System.out.printf(
        Locale.ROOT,
        "%s: throughput does not fall as producers are added (each >= %.1fx the previous: %s)%n",
        pass ? "PASS" : "FAIL",
        KEEP,
        steps);
  }

  /** One run with {@code producers} threads on a fresh store and spool. */
  static Trial trial(
      CollectionConfig config,
      CommitterSettings settings,
      List<Path> days,
      int producers,
      Path runs)
      throws Exception {
    Measure.deleteTree(runs);
    Path source = Files.createDirectories(runs.resolve("source"));
    Path spoolDir = runs.resolve("spool");
    Path storeDir = runs.resolve("store.zarr");
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            cores,
            r -> {
              Thread t = new Thread(r, "zarrsync-worker");
              t.setDaemon(true);
              return t;
            });
    EngineOptions options =
        EngineOptions.defaults()
            .withExecutor(pool, cores)
            .withLease(EngineOptions.defaults().lease().withHolder("zarrsync bench"));
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    Spool spool = new Spool(spoolDir);
    try (SyncEngine engine =
            SyncEngine.open(
                config, new LocalDirectorySource(source), new FileSystemStore(storeDir), options);
        SyncEngine reader =
            SyncEngine.open(
                config,
                new LocalDirectorySource(source),
                new FileSystemStore(storeDir),
                EngineOptions.defaults())) {
      engine.acquireLease();
      Committer committer =
          new Committer(List.of(engine), List.of(spool), settings, Clock.systemUTC());
      committer.syncAll(); // as serve does on start; the source is empty, so no commit
      Thread committing =
          new Thread(
              () -> {
                try {
                  committer.run(() -> false);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                  errors.add(e);
                }
              },
              "committer");
      committing.start();

      CountDownLatch go = new CountDownLatch(1);
      AtomicLong firstEvent = new AtomicLong();
      AtomicLong lastEvent = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        List<Path> mine = new ArrayList<>();
        for (int i = p; i < days.size(); i += producers) {
          mine.add(days.get(i));
        }
        threads.add(
            new Thread(
                () -> {
                  try {
                    go.await();
                    for (Path f : mine) {
                      produce(f, source, spoolDir);
                      long now = System.nanoTime();
                      firstEvent.compareAndSet(0, now);
                      lastEvent.accumulateAndGet(now, Math::max);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (IOException | RuntimeException e) {
                    errors.add(e);
                  }
                },
                "producer-" + p));
      }
      threads.forEach(Thread::start);
      go.countDown();
      long done;
      long deadline = System.nanoTime() + TIMEOUT_NANOS;
      while (true) {
        StoreStatus s = reader.status();
        if (s.liveFiles() + s.quarantined() >= days.size()) {
          done = System.nanoTime();
          break;
        }
        if (!errors.isEmpty() || System.nanoTime() > deadline) {
          committer.stop();
          throw new IllegalStateException(
              "run with " + producers + " producers failed or timed out: " + errors + ", " + s);
        }
        Thread.sleep(POLL_MS);
      }
      for (Thread t : threads) {
        t.join();
      }
      committer.stop();
      committing.join();
      committer.shutdown();
      if (!errors.isEmpty()) {
        throw new IllegalStateException("run with " + producers + " producers: " + errors);
      }
      StoreStatus s = reader.status();
      CommitterStats st = committer.stats();
      if (s.shown() != days.size()
          || s.quarantined() != 0
          || st.rejected() != 0
          || st.released() != 0
          || spool.backlog() != 0) {
        throw new IllegalStateException(
            "the store does not hold every file once, or events were lost: " + s + ", " + st);
      }
      return new Trial(
          producers,
          (done - firstEvent.get()) / 1e9,
          (lastEvent.get() - firstEvent.get()) / 1e9,
          reader.log().size(),
          st.batches(),
          st.events(),
          days.size());
    } finally {
      pool.shutdownNow();
    }
  }

  /** What a producer does for one file: place it in the source whole, then announce it. */
  private static void produce(Path file, Path source, Path spoolDir) throws IOException {
    String name = file.getFileName().toString();
    Path tmp = source.resolve("." + name + ".tmp");
    Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, source.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    Spool.write(spoolDir, List.of(RoutedEvent.of(SourceEvent.created(name))));
  }
}
