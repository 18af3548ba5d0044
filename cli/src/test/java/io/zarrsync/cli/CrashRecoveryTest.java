package io.zarrsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.core.SourceEvent;
import io.zarrsync.core.manifest.Manifest;
import io.zarrsync.core.txn.CommitLog;
import io.zarrsync.core.txn.TxnKeys;
import io.zarrsync.service.RoutedEvent;
import io.zarrsync.service.Spool;
import io.zarrsync.testing.TestEnvironment;
import io.zarrsync.zarr.store.FileSystemStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, acceptance 2: a writer killed with SIGKILL anywhere in staging, commit, publish and
 * metadata update is recovered by the next run. Each run changes the source (days added, revised,
 * removed, now and then a corrupt file), starts a real {@code zarrsync sync}, {@code apply} or
 * {@code serve} JVM and kills it, half of the time exactly at a crash point ({@code
 * -Dzarrsync.crashpoints=pause:<point>:<n>}), half of the time at a random moment. The same command
 * is then run again, at once (same host: the dead writer's file lock is free), and must leave the
 * store byte-identical to a fresh sync of the source into an empty directory, with nothing staged
 * left, every source file applied or quarantined, and (serve) every spooled event consumed.
 *
 * <p>{@code -Dzarrsync.crash.runs=N} sets the number of kills (default 50; the {@code faults}
 * profile runs 200), {@code -Dzarrsync.crash.seed=S} replays the same source changes and choices
 * (the moments of random kills still depend on timing).
 */
class CrashRecoveryTest {
  private static final List<String> POINTS =
      List.of(
          "stage",
          "commit.before",
          "commit.after",
          "publish",
          "publish.metadata",
          "publish.manifest",
          "publish.drop",
          "recover.drop");
  private static final Pattern CRASHPOINT = Pattern.compile("CRASHPOINT (\\S+) (\\d+)");
  private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(10);
  private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private enum Mode {
    SYNC,
    APPLY,
    SERVE
  }

  /** How a run ended; {@code reachedPoint} is false for a pause point the writer never reached. */
  private record Outcome(
      boolean killed, boolean reachedPoint, String label, int exitCode, String stderr) {}

  private Random rnd;
  private SstCollection sst;
  private Path store;
  private Path spool;
  private final Map<Integer, Integer> live = new TreeMap<>();
  private final Set<Integer> corrupt = new TreeSet<>();
  private final Stats stats = new Stats();

  @Test
  void aWriterKilledAnywhereIsRecoveredByTheNextRun() {
    int kills = Integer.getInteger("zarrsync.crash.runs", 50);
    long seed = Long.getLong("zarrsync.crash.seed", System.nanoTime());
    System.out.printf(
        Locale.ROOT,
        "CrashRecoveryTest: %d kills, seed %d (replay: -Dzarrsync.crash.seed=%d)%n",
        kills,
        seed,
        seed);
    sst = new SstCollection(tmp);
    store = tmp.resolve("store.zarr");
    spool = tmp.resolve("spool");
    for (int d = 0; d < 14; d++) {
      if (d != 3 && d != 8) {
        sst.writeDay(d, 0);
        live.put(d, 0);
      }
    }
    Path scratch = tmp.resolve("scratch.zarr");
    List<String> warmUp = new ArrayList<>(List.of("sync"));
    warmUp.addAll(sst.options(scratch));
    Child.shareClasses(warmUp);
    deleteTree(scratch);
    long started = System.nanoTime();
    int run = 0;
    try {
      while (stats.kills < kills) {
        run++;
        assertThat(run).as("runs without reaching %d kills", kills).isLessThanOrEqualTo(2 * kills);
        oneRun(seed, run);
        if (run % 10 == 0) {
          checkWithXarray();
        }
      }
      checkWithXarray();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "run "
              + run
              + " of seed "
              + seed
              + " (replay with -Dzarrsync.crash.seed="
              + seed
              + "): "
              + e.getMessage(),
          e);
    }
    stats.print(run, (System.nanoTime() - started) / 1e9);
  }

  private void oneRun(long seed, int run) {
    // each run draws from its own generator, so a replay makes the same changes and choices even
    // where an earlier run's timing went differently
    rnd = new Random(seed + run * 0x9E3779B97F4A7C15L);
    long t0 = System.nanoTime();
    Changes changes = mutate(run == 1);
    Mode mode = Mode.values()[rnd.nextInt(Mode.values().length)];
    List<String> args = command(mode, changes);
    stats.runs.merge(mode.name().toLowerCase(Locale.ROOT), 1, Integer::sum);

    Outcome first = runAndKill(mode, args, rnd.nextBoolean());
    String context = "run " + run + " " + mode + ": " + first.label();
    if (!first.killed()) {
      if (first.reachedPoint()) {
        stats.finished++;
      } else {
        stats.notReached++;
      }
      assertThat(first.exitCode())
          .as("%s: exit code; stderr:%n%s", context, first.stderr())
          .isIn(0, 1);
    }
    if (first.killed()) {
      stats.kills++;
      if (rnd.nextInt(100) < 15) {
        // the next run dies too, in its own recovery or transaction
        Outcome second = runAndKill(mode, args, true);
        if (second.killed()) {
          stats.doubleKills++;
          context += ", next run " + second.label();
        }
      }
    }
    String kind = recoveryKind();
    if (first.killed()) {
      stats.recoveries.merge(kind, 1, Integer::sum);
    }
    context += "; next run found: " + kind;
    long t1 = System.nanoTime();
    boolean inChild = run % 4 == 0;
    recover(mode, args, inChild, context);
    long t2 = System.nanoTime();
    checkStore(mode, context);
    System.out.printf(
        Locale.ROOT,
        "%s; writer %d ms, next run %d ms (%s), checks %d ms%n",
        context,
        (t1 - t0) / 1_000_000,
        (t2 - t1) / 1_000_000,
        inChild ? "child JVM" : "in-process",
        (System.nanoTime() - t2) / 1_000_000);
  }

  // ------------------------------------------------------------------ the source

  /** Keys created (or rewritten) and removed by one mutation of the source. */
  private record Changes(Set<String> created, Set<String> removed) {}

  private Changes mutate(boolean first) {
    Set<String> created = new TreeSet<>();
    Set<String> removed = new TreeSet<>();
    if (first) {
      live.keySet().forEach(d -> created.add(SstCollection.key(d)));
      return new Changes(created, removed);
    }
    int adds = 1 + rnd.nextInt(3);
    for (int i = 0; i < adds; i++) {
      int day = freeDay();
      sst.writeDay(day, 0);
      live.put(day, 0);
      created.add(SstCollection.key(day));
    }
    List<Integer> days = new ArrayList<>(live.keySet());
    int revisions = rnd.nextInt(3);
    for (int i = 0; i < revisions; i++) {
      int day = days.get(rnd.nextInt(days.size()));
      int rev = live.get(day) + 1;
      sst.writeDay(day, rev);
      live.put(day, rev);
      created.add(SstCollection.key(day));
    }
    // about 20 live days at most, so that the runs take the same time whatever their number
    int removals = live.size() > 18 ? adds + rnd.nextInt(2) : rnd.nextInt(2);
    for (int i = 0; i < removals && live.size() > 6; i++) {
      List<Integer> now = new ArrayList<>(live.keySet());
      int day = now.get(rnd.nextInt(now.size()));
      sst.remove(day);
      live.remove(day);
      created.remove(SstCollection.key(day));
      removed.add(SstCollection.key(day));
    }
    int dice = rnd.nextInt(100);
    if (dice < 15 && corrupt.size() < 3) {
      int day = freeDay();
      sst.writeCorrupt(day, rnd.nextBoolean());
      corrupt.add(day);
      created.add(SstCollection.key(day));
    } else if (dice < 25 && !corrupt.isEmpty()) {
      int day = corrupt.iterator().next();
      corrupt.remove(day);
      if (rnd.nextBoolean()) {
        sst.remove(day);
        removed.add(SstCollection.key(day));
      } else {
        sst.writeDay(day, 1);
        live.put(day, 1);
        created.add(SstCollection.key(day));
      }
    }
    return new Changes(created, removed);
  }

  /** A day with no file: mostly after the last one, sometimes a gap (a late arrival). */
  private int freeDay() {
    List<Integer> free = new ArrayList<>();
    for (int day = 0; day < 40; day++) {
      if (!live.containsKey(day) && !corrupt.contains(day)) {
        free.add(day);
      }
    }
    assertThat(free).as("free days").isNotEmpty();
    return free.get(rnd.nextInt(free.size()));
  }

  // ------------------------------------------------------------------ the writer

  private List<String> command(Mode mode, Changes changes) {
    List<String> args = new ArrayList<>();
    switch (mode) {
      case SYNC -> {
        args.add("sync");
        args.addAll(sst.options(store));
      }
      case APPLY -> {
        args.add("apply");
        args.addAll(sst.options(store));
        if (!changes.created().isEmpty()) {
          args.add("--created");
          args.addAll(changes.created());
        }
        if (!changes.removed().isEmpty()) {
          args.add("--removed");
          args.addAll(changes.removed());
        }
      }
      case SERVE -> {
        List<RoutedEvent> events = new ArrayList<>();
        changes.created().forEach(k -> events.add(RoutedEvent.of(SourceEvent.created(k))));
        changes.removed().forEach(k -> events.add(RoutedEvent.of(SourceEvent.removed(k))));
        java.util.Collections.shuffle(events, rnd);
        int files = Math.min(events.size(), 1 + rnd.nextInt(3));
        for (int i = 0; i < files; i++) {
          int from = events.size() * i / files;
          int to = events.size() * (i + 1) / files;
          Spool.write(spool, events.subList(from, to));
        }
        args.add("serve");
        args.addAll(sst.options(store));
        args.addAll(
            List.of(
                "--spool",
                spool.toString(),
                "--exit-when-idle",
                "--no-initial-sync",
                "--window",
                "50ms",
                "--batch-size",
                rnd.nextBoolean() ? "1" : "500"));
      }
    }
    return args;
  }

  /**
   * Starts the writer and kills it: at a crash point reached by earlier runs of this mode, or at a
   * random moment of its typical run time.
   */
  private Outcome runAndKill(Mode mode, List<String> args, boolean atPoint) {
    if (atPoint) {
      String point = POINTS.get(rnd.nextInt(POINTS.size()));
      int n = 1 + rnd.nextInt(stats.hits(mode, point));
      String line = "CRASHPOINT " + point + " " + n;
      try (Child c =
          Child.start(List.of("-Dzarrsync.crashpoints=pause:" + point + ":" + n), args)) {
        Optional<String> reached = c.awaitErrLine(line::equals, CHILD_TIMEOUT);
        if (reached.isPresent()) {
          int status = c.kill();
          assertThat(status)
              .as("exit status of %s killed at %s", c, line)
              .isEqualTo(Child.SIGKILL_STATUS);
          stats.killedAt.merge(point, 1, Integer::sum);
          return new Outcome(true, true, "killed at " + point + " " + n, status, c.stderr());
        }
        int code = c.waitFor(CHILD_TIMEOUT);
        stats.learn(mode, c);
        return new Outcome(false, false, "finished before " + line, code, c.stderr());
      }
    }
    long total = stats.typicalMillis(mode);
    try (Child c = Child.start(List.of("-Dzarrsync.crashpoints=trace"), args)) {
      long delay;
      if (rnd.nextInt(4) == 0) {
        delay = (long) (rnd.nextDouble() * total);
      } else {
        // most kills fall after the JVM started working on the store
        if (c.awaitErrLine(l -> l.startsWith("CRASHPOINT "), CHILD_TIMEOUT).isEmpty()) {
          return finished(mode, c);
        }
        delay = c.elapsedMillis() + (long) (rnd.nextDouble() * stats.typicalWorkMillis(mode));
      }
      long wait = delay - c.elapsedMillis();
      if (wait > 0 && c.exitsWithin(wait)) {
        return finished(mode, c);
      }
      int status = c.kill();
      if (status != Child.SIGKILL_STATUS) {
        return finished(mode, c);
      }
      String last = "before any crash point";
      for (String l : c.stderrLines()) {
        Matcher m = CRASHPOINT.matcher(l);
        if (m.matches()) {
          last = "after " + m.group(1);
        }
      }
      stats.killedAt.merge("random, " + last, 1, Integer::sum);
      return new Outcome(true, true, "killed at " + delay + " ms, " + last, status, c.stderr());
    }
  }

  private Outcome finished(Mode mode, Child c) {
    int code = c.waitFor(CHILD_TIMEOUT);
    stats.learn(mode, c);
    return new Outcome(false, true, "finished before the kill", code, c.stderr());
  }

  /** What the next writer has to do: roll a commit forward, drop staging, or nothing. */
  private String recoveryKind() {
    FileSystemStore fs = new FileSystemStore(store);
    long applied = new CommitLog(fs).readManifest().map(Manifest::seq).orElse(0L);
    long last = 0;
    for (String k : fs.list(TxnKeys.LOG)) {
      last = Math.max(last, TxnKeys.seqOf(k));
    }
    if (last > applied) {
      return "rolled forward a commit";
    }
    if (!StoreContent.staging(store).isEmpty()) {
      return "discarded staging";
    }
    return "nothing to recover";
  }

  /** Runs the same command again, in this JVM or in a child, and checks it takes over at once. */
  private void recover(Mode mode, List<String> args, boolean inChild, String context) {
    String kind = recoveryKind();
    long t0 = System.nanoTime();
    int code;
    String out;
    String err;
    if (inChild) {
      try (Child c = Child.start(List.of("-Dzarrsync.log.level=INFO"), args)) {
        code = c.waitFor(CHILD_TIMEOUT);
        out = c.stdout();
        err = c.stderr();
      }
      assertThat(err.contains("rolling forward commit"))
          .as("%s: recovery logged a roll-forward (state was: %s); stderr:%n%s", context, kind, err)
          .isEqualTo(kind.equals("rolled forward a commit"));
      stats.childRecoveries++;
    } else {
      StringWriter o = new StringWriter();
      StringWriter e = new StringWriter();
      code =
          Main.run(args.toArray(String[]::new), new PrintWriter(o, true), new PrintWriter(e, true));
      out = o.toString();
      err = e.toString();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    stats.slowestRecovery =
        stats.slowestRecovery.compareTo(took) < 0 ? took : stats.slowestRecovery;
    assertThat(code)
        .as("%s: the next run's exit code; stdout:%n%s%nstderr:%n%s", context, out, err)
        .isIn(0, 1);
    assertThat(took).as("%s: the next run took over at once", context).isLessThan(RECOVERY_LIMIT);
    if (mode == Mode.APPLY) {
      assertThat(out).as("%s: apply wrote the store itself", context).doesNotContain("handed");
    }
  }

  // ------------------------------------------------------------------ checks

  private void checkStore(Mode mode, String context) {
    assertThat(StoreContent.staging(store)).as("%s: staging left behind", context).isEmpty();
    Path reference = tmp.resolve("reference.zarr");
    deleteTree(reference);
    sst.freshSync(reference);
    StoreContent.assertSame(store, reference, context);
    deleteTree(reference);

    Manifest m = new CommitLog(new FileSystemStore(store)).readManifest().orElseThrow();
    Set<String> accounted = new TreeSet<>(m.files().keySet());
    accounted.addAll(m.quarantine().keySet());
    assertThat(accounted)
        .as("%s: source files applied or quarantined", context)
        .isEqualTo(sst.keys());
    Set<String> bad = new TreeSet<>();
    corrupt.forEach(d -> bad.add(SstCollection.key(d)));
    assertThat(m.quarantine().keySet()).as("%s: quarantined files", context).isEqualTo(bad);
    JsonNode status = cli("status", "--json");
    assertThat(status.path("liveFiles").asInt() + status.path("quarantined").asInt())
        .as("%s: zarrsync status %s", context, status)
        .isEqualTo(sst.keys().size());
    Set<String> listed = new TreeSet<>();
    cli("quarantine", "--json").forEach(q -> listed.add(q.path("key").asText()));
    assertThat(listed).as("%s: zarrsync quarantine", context).isEqualTo(bad);
    long last = 0;
    int records = 0;
    for (String k : new FileSystemStore(store).list(TxnKeys.LOG)) {
      if (TxnKeys.seqOf(k) > 0) {
        records++;
        last = Math.max(last, TxnKeys.seqOf(k));
      }
    }
    assertThat(records).as("%s: commit log has no gaps", context).isEqualTo((int) last);
    assertThat(m.seq()).as("%s: every commit published", context).isEqualTo(last);
    if (mode == Mode.SERVE) {
      assertThat(spoolFiles()).as("%s: spooled events not consumed", context).isEmpty();
    }
  }

  /** Runs a read-only command with {@code --json} in this JVM and parses what it printed. */
  private JsonNode cli(String command, String json) {
    List<String> args = new ArrayList<>(List.of(command, json));
    args.addAll(sst.options(store));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as("zarrsync %s: %s", command, err).isIn(0, 1);
    try {
      return JSON.readTree(out.toString());
    } catch (IOException e) {
      throw new AssertionError("zarrsync " + command + " printed " + out, e);
    }
  }

  private List<String> spoolFiles() {
    if (!Files.isDirectory(spool)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(spool)) {
      return s.filter(Files::isRegularFile).map(p -> spool.relativize(p).toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** xarray opens the store and finds data in exactly the rows of the live days. */
  private void checkWithXarray() {
    if (!TestEnvironment.onCi()) {
      try {
        TestEnvironment.requirePython();
      } catch (org.opentest4j.TestAbortedException skipped) {
        return;
      }
    }
    String script =
        String.join(
            "\n",
            "import sys, json, numpy as np, xarray as xr",
            "ds = xr.open_zarr(sys.argv[1])",
            "sst = ds['analysed_sst'].load()",
            "has = (~np.isnan(sst)).any(dim=('lat', 'lon')).values",
            "days = [str(t)[:10] for t, h in zip(ds['time'].values, has) if h]",
            "print(json.dumps({'days': days}))",
            "");
    String out = TestEnvironment.python(script, List.of(store.toString()), 120);
    JsonNode n;
    try {
      n = JSON.readTree(out.strip().lines().reduce((a, b) -> b).orElse("{}"));
    } catch (IOException e) {
      throw new AssertionError("xarray printed " + out, e);
    }
    List<String> days = new ArrayList<>();
    n.path("days").forEach(d -> days.add(d.asText()));
    List<String> expected = new ArrayList<>();
    live.keySet().forEach(d -> expected.add(SstCollection.date(d).toString()));
    assertThat(days).as("days with data as xarray reads the store").isEqualTo(expected);
    stats.xarrayChecks++;
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ bookkeeping

  /** What the runs did, and what they taught about each mode's crash points and timing. */
  private static final class Stats {
    final Map<String, Integer> runs = new TreeMap<>();
    final Map<String, Integer> killedAt = new TreeMap<>();
    final Map<String, Integer> recoveries = new TreeMap<>();
    final Map<Mode, Map<String, List<Integer>>> hits = new TreeMap<>();
    final Map<Mode, List<Long>> durations = new TreeMap<>();
    final Map<Mode, List<Long>> work = new TreeMap<>();
    int kills;
    int doubleKills;
    int notReached;
    int finished;
    int childRecoveries;
    int xarrayChecks;
    Duration slowestRecovery = Duration.ZERO;

    /** How many hits of {@code point} a run of {@code mode} has: the median seen, else a guess. */
    int hits(Mode mode, String point) {
      List<Integer> seen = hits.getOrDefault(mode, Map.of()).get(point);
      if (seen == null || seen.isEmpty()) {
        return point.equals("stage") || point.equals("publish") ? 12 : 1;
      }
      List<Integer> sorted = seen.stream().sorted().toList();
      return Math.max(1, sorted.get(sorted.size() / 2));
    }

    /** Learns from a writer that ran to its end: its crash point hits and timing. */
    void learn(Mode mode, Child c) {
      Map<String, Integer> counts = new TreeMap<>();
      for (String l : c.stderrLines()) {
        Matcher m = CRASHPOINT.matcher(l);
        if (m.matches()) {
          counts.merge(m.group(1), 1, Integer::sum);
        }
      }
      Map<String, List<Integer>> perPoint = hits.computeIfAbsent(mode, k -> new TreeMap<>());
      for (String p : POINTS) {
        perPoint.computeIfAbsent(p, k -> new ArrayList<>()).add(counts.getOrDefault(p, 0));
      }
      long millis = c.elapsedMillis();
      durations.computeIfAbsent(mode, k -> new ArrayList<>()).add(millis);
      c.errLineMillis(l -> l.startsWith("CRASHPOINT "))
          .ifPresent(
              first -> work.computeIfAbsent(mode, k -> new ArrayList<>()).add(millis - first));
    }

    /** Median run time of a whole writer JVM of {@code mode}. */
    long typicalMillis(Mode mode) {
      return median(durations.get(mode), mode == Mode.SERVE ? 3000 : 2000);
    }

    /** Median time from a writer's first crash point (it holds the lease) to its exit. */
    long typicalWorkMillis(Mode mode) {
      return Math.max(50, median(work.get(mode), mode == Mode.SERVE ? 1500 : 1000));
    }

    private static long median(List<Long> values, long otherwise) {
      if (values == null || values.isEmpty()) {
        return otherwise;
      }
      return values.stream().sorted().toList().get(values.size() / 2);
    }

    void print(int runCount, double seconds) {
      System.out.printf(
          Locale.ROOT,
          "CrashRecoveryTest summary: %d runs, %d kills (%d killed again during recovery),"
              + " %d finished before the kill, %d did not reach the chosen point; %.1f s%n",
          runCount,
          kills,
          doubleKills,
          finished,
          notReached,
          seconds);
      System.out.println("  runs per mode: " + runs);
      System.out.println("  kills per crash point: " + killedAt);
      System.out.println("  what the next run found: " + recoveries);
      System.out.printf(
          Locale.ROOT,
          "  next runs in a child JVM: %d; slowest next run %d ms; xarray checks: %d%n",
          childRecoveries,
          slowestRecovery.toMillis(),
          xarrayChecks);
    }
  }
}
