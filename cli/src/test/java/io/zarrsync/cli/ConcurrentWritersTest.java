package io.zarrsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.api.Retry;
import io.zarrsync.core.lease.LeaseRecord;
import io.zarrsync.core.lease.StoreLease;
import io.zarrsync.core.manifest.Manifest;
import io.zarrsync.core.txn.CommitLog;
import io.zarrsync.core.txn.CommitRecord;
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
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, acceptance 1: several {@code zarrsync} processes started at once on one store. Each
 * either writes under the lease or exits with code 6 and a message saying who holds the store and
 * that nothing was written; {@code --wait} ones wait and succeed; the commit log shows one writer
 * at a time; the store ends equal to a fresh sync of the live files. An {@code apply} that meets a
 * running {@code serve} hands its events over instead.
 */
class ConcurrentWritersTest {
  /** The DEBUG line a writer logs when it takes the lease. */
  private static final Pattern LEASE_TAKEN =
      Pattern.compile("lease (\\d+) taken by (.+) \\(pid (\\d+) on ");

  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> DEBUG = List.of("-Dzarrsync.log.level=DEBUG");

  @TempDir Path tmp;

  private SstCollection sst;
  private Path store;
  private Random rnd;
  private final Map<Integer, Integer> live = new TreeMap<>();

  /** One process of a round, after it exited. */
  private record Result(
      String name, long pid, int code, String out, String err, long epoch, List<Long> commits) {
    boolean tookLease() {
      return epoch > 0;
    }
  }

  @BeforeEach
  void setUp() {
    long seed = Long.getLong("zarrsync.concurrent.seed", System.nanoTime());
    System.out.println(
        "ConcurrentWritersTest seed "
            + seed
            + " (replay: -Dzarrsync.concurrent.seed="
            + seed
            + ")");
    rnd = new Random(seed);
    sst = new SstCollection(tmp);
    store = tmp.resolve("store.zarr");
    for (int d = 0; d < 8; d++) {
      sst.writeDay(d, 0);
      live.put(d, 0);
    }
    Path scratch = tmp.resolve("scratch.zarr");
    List<String> warmUp = new ArrayList<>(List.of("sync"));
    warmUp.addAll(sst.options(scratch));
    Child.shareClasses(warmUp);
  }

  @Test
  void fourWritersAtOnceLeaveTheStoreEqualToTheLiveFiles() {
    Map<Long, String> owners = new TreeMap<>();
    long lastEpoch = 0;
    int rounds = 5;
    Map<String, Integer> codes = new TreeMap<>();
    for (int round = 1; round <= rounds; round++) {
      Changes changes = mutate(round == 1);
      Set<String> created = changes.created();
      Set<String> removed = changes.removed();
      List<String> subset = overlapping(created);
      List<List<String>> commands = new ArrayList<>();
      commands.add(command("sync"));
      commands.add(command("sync"));
      commands.add(apply(subset, removed));
      List<String> waiting =
          round % 2 == 1 ? command("sync") : apply(overlapping(created), List.copyOf(removed));
      waiting.addAll(List.of("--wait", "60s"));
      commands.add(waiting);
      List<Child> children = new ArrayList<>();
      for (List<String> c : commands) {
        children.add(Child.start(DEBUG, c));
      }
      List<Result> results = new ArrayList<>();
      try {
        for (int i = 0; i < children.size(); i++) {
          String name = commands.get(i).get(0) + (i == 3 ? " --wait" : "") + " #" + (i + 1);
          results.add(result(name, children.get(i), i == 3));
        }
      } finally {
        children.forEach(Child::close);
      }
      List<String> last = command("sync");
      last.addAll(List.of("--wait", "60s"));
      try (Child c = Child.start(DEBUG, last)) {
        results.add(result("sync --wait (after the round)", c, true));
      }
      String context = "round " + round;
      for (Result r : results) {
        codes.merge(
            r.name().substring(0, r.name().indexOf(' ')) + " exit " + r.code(), 1, Integer::sum);
      }
      System.out.printf(Locale.ROOT, "%s: %s%n", context, summary(results));
      lastEpoch = checkOneWriterAtATime(results, owners, lastEpoch, context);
      StoreContent.assertSame(store, reference(round), context);
      assertThat(StoreContent.staging(store)).as("%s: staging left", context).isEmpty();
    }
    System.out.printf(
        Locale.ROOT,
        "ConcurrentWritersTest: %d rounds, %d commits, lease epochs up to %d; exit codes %s%n",
        rounds,
        owners.size(),
        lastEpoch,
        codes);
  }

  @Test
  void applyHandsItsEventsToARunningServe() throws IOException {
    List<String> first = command("sync");
    assertThat(
            Main.run(
                first.toArray(String[]::new),
                new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())))
        .isZero();
    Path spool = tmp.resolve("spool");
    List<String> serveArgs = command("serve");
    serveArgs.addAll(List.of("--spool", spool.toString(), "--window", "200ms"));
    try (Child serve = Child.start(DEBUG, serveArgs)) {
      assertThat(serve.awaitOutLine(l -> l.startsWith("serving "), TIMEOUT))
          .as("serve started; stderr:%n%s", serve.stderr())
          .isPresent();
      long before = lastSeq();
      Changes changes = mutate(false);
      List<String> all = new ArrayList<>(changes.created());
      all.addAll(changes.removed());
      List<Child> applies = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        // each apply names its share of the changes plus a few of the others' keys
        List<String> created = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (int k = 0; k < all.size(); k++) {
          if (k % 3 == i || rnd.nextInt(3) == 0) {
            (changes.removed().contains(all.get(k)) ? removed : created).add(all.get(k));
          }
        }
        List<String> args = apply(created, removed);
        if (i > 0) {
          args.remove("--json");
        }
        applies.add(Child.start(DEBUG, args));
      }
      String holder = "zarrsync serve (pid " + serve.pid() + " on ";
      for (int i = 0; i < applies.size(); i++) {
        Child a = applies.get(i);
        int code = a.waitFor(TIMEOUT);
        assertThat(code).as("%s exit code; stderr:%n%s", a, a.stderr()).isZero();
        if (i == 0) {
          JsonNode n = JSON.readTree(a.stdout());
          assertThat(n.path("handedOff").asBoolean()).as("%s: %s", a, a.stdout()).isTrue();
          assertThat(n.path("holder").asText()).startsWith(holder);
        } else {
          assertThat(a.stdout())
              .as("%s handed its events to the serve", a)
              .startsWith("handed ")
              .contains(holder)
              .contains(spool.toString());
        }
        assertThat(a.stderr()).as("%s took the lease", a).doesNotContainPattern(LEASE_TAKEN);
      }
      awaitEmpty(spool);
      StoreContent.assertSame(store, reference(0), "after the hand-off");
      List<CommitRecord> records = new CommitLog(new FileSystemStore(store)).records();
      List<CommitRecord> added = records.stream().filter(r -> r.seq() > before).toList();
      assertThat(added).as("commits of the handed-off events").isNotEmpty();
      assertThat(added).allSatisfy(r -> assertThat(r.operation()).isEqualTo("apply"));
      int code = serve.terminate(TIMEOUT);
      assertThat(serve.stdout())
          .as("serve stopped by SIGTERM (exit %d); stderr:%n%s", code, serve.stderr())
          .contains("stopped: ")
          .contains(" 0 rejected");
      LeaseRecord lease =
          StoreLease.current(new FileSystemStore(store), Retry.defaults()).orElseThrow();
      assertThat(lease.pid()).isEqualTo(serve.pid());
      assertThat(lease.released()).as("serve released its lease on SIGTERM").isTrue();
    }
    try (Stream<Path> s = Files.walk(spool)) {
      assertThat(s.filter(Files::isRegularFile).toList()).as("spool after serve").isEmpty();
    }
  }

  // ------------------------------------------------------------------ checks

  /**
   * Every commit of the round was reported by exactly one process, which held the lease: its epoch
   * is newer than the epochs of the processes that committed before it, and no two processes
   * committed the same sequence number. Processes that exited with 6 said why and took no lease.
   *
   * @return the highest lease epoch so far
   */
  private long checkOneWriterAtATime(
      List<Result> results, Map<Long, String> owners, long lastEpoch, String context) {
    Set<Long> epochs = new TreeSet<>();
    for (Result r : results) {
      if (r.code() == ExitCodes.CONFLICT) {
        assertThat(r.err())
            .as("%s: %s was refused with a clear message", context, r.name())
            .contains("is being written by")
            .contains("nothing was written");
        assertThat(r.tookLease())
            .as("%s: %s took the lease yet exited 6", context, r.name())
            .isFalse();
        continue;
      }
      if (r.tookLease()) {
        assertThat(r.epoch())
            .as("%s: %s took an old lease epoch", context, r.name())
            .isGreaterThan(lastEpoch);
        assertThat(epochs.add(r.epoch()))
            .as("%s: lease epoch %d taken twice", context, r.epoch())
            .isTrue();
      }
      if (!r.commits().isEmpty()) {
        assertThat(r.tookLease())
            .as("%s: %s committed without the lease", context, r.name())
            .isTrue();
      }
      for (Long seq : r.commits()) {
        String before = owners.put(seq, r.name() + " (pid " + r.pid() + ")");
        assertThat(before).as("%s: commit %d reported twice", context, seq).isNull();
      }
    }
    // in epoch order, each holder's commits come after the previous holder's
    List<Result> holders =
        results.stream()
            .filter(r -> r.tookLease() && !r.commits().isEmpty())
            .sorted(Comparator.comparingLong(Result::epoch))
            .toList();
    for (int i = 1; i < holders.size(); i++) {
      long prev = holders.get(i - 1).commits().stream().mapToLong(Long::longValue).max().orElse(0);
      long next = holders.get(i).commits().stream().mapToLong(Long::longValue).min().orElse(0);
      assertThat(next)
          .as("%s: commits out of lease order: %s", context, holders)
          .isGreaterThan(prev);
    }
    FileSystemStore fs = new FileSystemStore(store);
    List<CommitRecord> log = new CommitLog(fs).records();
    for (int i = 0; i < log.size(); i++) {
      assertThat(log.get(i).seq()).as("%s: commit log sequence", context).isEqualTo(i + 1L);
    }
    Manifest m = new CommitLog(fs).readManifest().orElseThrow();
    assertThat(m.seq()).as("%s: every commit published", context).isEqualTo(log.size());
    assertThat(owners.keySet())
        .as("%s: commits in the log that no process reported", context)
        .containsExactlyElementsOf(log.stream().map(CommitRecord::seq).toList());
    long max = epochs.stream().mapToLong(Long::longValue).max().orElse(lastEpoch);
    LeaseRecord current = StoreLease.current(fs, Retry.defaults()).orElseThrow();
    assertThat(current.epoch()).as("%s: a lease no process reported", context).isEqualTo(max);
    assertThat(current.released()).as("%s: the last writer released the lease", context).isTrue();
    return max;
  }

  private Result result(String name, Child c, boolean mustSucceed) {
    int code = c.waitFor(TIMEOUT);
    if (mustSucceed) {
      assertThat(code).as("%s must wait and succeed; stderr:%n%s", c, c.stderr()).isZero();
    } else {
      assertThat(code)
          .as("%s exit code (0, or 6 when another process writes); stderr:%n%s", c, c.stderr())
          .isIn(ExitCodes.OK, ExitCodes.CONFLICT);
    }
    long epoch = 0;
    Matcher m = LEASE_TAKEN.matcher(c.stderr());
    if (m.find()) {
      epoch = Long.parseLong(m.group(1));
      assertThat(Long.parseLong(m.group(3))).as("pid in the lease of %s", c).isEqualTo(c.pid());
      assertThat(m.find()).as("%s took the lease twice", c).isFalse();
    }
    List<Long> commits = new ArrayList<>();
    if (code == 0) {
      try {
        JsonNode n = JSON.readTree(c.stdout());
        n.path("commits").forEach(s -> commits.add(s.asLong()));
      } catch (IOException e) {
        throw new AssertionError(c + " printed no JSON report: " + c.stdout(), e);
      }
    }
    return new Result(name, c.pid(), code, c.stdout(), c.stderr(), epoch, commits);
  }

  private static String summary(List<Result> results) {
    StringBuilder b = new StringBuilder();
    for (Result r : results) {
      b.append(b.length() == 0 ? "" : "; ").append(r.name()).append(" -> ").append(r.code());
      if (r.tookLease()) {
        b.append(" lease ").append(r.epoch()).append(" commits ").append(r.commits());
      }
    }
    return b.toString();
  }

  private long lastSeq() {
    return new CommitLog(new FileSystemStore(store)).readManifest().map(Manifest::seq).orElse(0L);
  }

  private Path reference(int round) {
    Path ref = tmp.resolve("reference-" + round + ".zarr");
    sst.freshSync(ref);
    return ref;
  }

  /** Waits until the serve consumed every spool file (it deletes each once committed). */
  private static void awaitEmpty(Path spool) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      List<Path> left;
      try (Stream<Path> s = Files.walk(spool)) {
        left = s.filter(Files::isRegularFile).toList();
      } catch (IOException | UncheckedIOException e) {
        left = List.of(spool); // a file went away while we looked: look again
      }
      if (left.isEmpty()) {
        return;
      }
      assertThat(System.nanoTime()).as("spool files not consumed: %s", left).isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  // ------------------------------------------------------------------ the source and commands

  private List<String> command(String name) {
    List<String> args = new ArrayList<>(List.of(name));
    args.addAll(sst.options(store));
    if (!name.equals("serve")) {
      args.add("--json");
    }
    return args;
  }

  private List<String> apply(List<String> created, Iterable<String> removed) {
    List<String> args = command("apply");
    if (!created.isEmpty()) {
      args.add("--created");
      args.addAll(created);
    }
    List<String> gone = new ArrayList<>();
    removed.forEach(gone::add);
    if (!gone.isEmpty()) {
      args.add("--removed");
      args.addAll(gone);
    }
    if (created.isEmpty() && gone.isEmpty()) {
      args.addAll(List.of("--created", SstCollection.key(live.keySet().iterator().next())));
    }
    return args;
  }

  /** Some of the changed keys, plus a few unchanged live ones. */
  private List<String> overlapping(Set<String> changed) {
    Set<String> out = new TreeSet<>();
    for (String k : changed) {
      if (rnd.nextInt(3) > 0) {
        out.add(k);
      }
    }
    List<Integer> days = new ArrayList<>(live.keySet());
    for (int i = 0; i < 2; i++) {
      out.add(SstCollection.key(days.get(rnd.nextInt(days.size()))));
    }
    return new ArrayList<>(out);
  }

  /** Keys created (or rewritten) and removed by one change of the source. */
  private record Changes(Set<String> created, Set<String> removed) {}

  /** Adds, revises and removes days. */
  private Changes mutate(boolean first) {
    Set<String> created = new TreeSet<>();
    Set<String> removed = new TreeSet<>();
    if (first) {
      live.keySet().forEach(d -> created.add(SstCollection.key(d)));
      return new Changes(created, removed);
    }
    for (int i = 0; i < 2 + rnd.nextInt(2); i++) {
      int day;
      do {
        day = rnd.nextInt(30);
      } while (live.containsKey(day));
      sst.writeDay(day, 0);
      live.put(day, 0);
      created.add(SstCollection.key(day));
    }
    List<Integer> days = new ArrayList<>(live.keySet());
    for (int i = 0; i < 1 + rnd.nextInt(2); i++) {
      int day = days.get(rnd.nextInt(days.size()));
      live.merge(day, 1, Integer::sum);
      sst.writeDay(day, live.get(day));
      created.add(SstCollection.key(day));
    }
    if (rnd.nextBoolean()) {
      int day = days.get(rnd.nextInt(days.size()));
      sst.remove(day);
      live.remove(day);
      created.remove(SstCollection.key(day));
      removed.add(SstCollection.key(day));
    }
    return new Changes(created, removed);
  }
}
