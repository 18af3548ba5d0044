package io.zarrsync.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.zarrsync.api.StoreException;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.core.txn.CommitLog;
import io.zarrsync.core.txn.CommitRecord;
import io.zarrsync.core.txn.TxnKeys;
import io.zarrsync.zarr.ZarrArray;
import io.zarrsync.zarr.ZarrGroup;
import io.zarrsync.zarr.store.FailingStore;
import io.zarrsync.zarr.store.FailingStore.Failure;
import io.zarrsync.zarr.store.FailingStore.Op;
import io.zarrsync.zarr.store.FailingStore.Rule;
import io.zarrsync.zarr.store.FileSystemStore;
import io.zarrsync.zarr.store.MemoryStore;
import io.zarrsync.zarr.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A store that fails (disk full, I/O error, a transient error, a lost request or response) at a
 * chosen point of a transaction: the run fails with a {@link StoreException} naming the store and
 * key, the store stays readable (our reader and xarray), a failure before the commit point changes
 * nothing visible, and after the store heals a second run (same engine or a new one) ends with the
 * store a fresh sync gives, one commit for the change, and no staging left.
 *
 * <p>The failing transaction (commit 2) changes day 0 (row rewritten), removes day 1 (its chunks
 * are deleted) and adds days 2 and 3 (the shape grows), so it has every kind of publish step.
 *
 * <p>{@link FailingStore} is not a {@link FileSystemStore}, so publish copies staged objects with
 * get + put here (and drops them with delete); the rename path of a local store is covered by
 * {@code CommitProtocolTest.aRenamePublishInterruptedHalfwayOnDiskIsFinishedOnOpen}.
 */
class StoreFailureTest {
  private static final String TXN_DATA = "\\.zarrsync/txn/[^/]+/data/";
  private static final String CHUNK = "[a-z_]+/[0-9.]+";

  @org.junit.jupiter.api.io.TempDir static Path pool;

  static CollectionConfig config;
  static Path before;
  static Path after;
  static Path baselineDir;
  static MemoryStore baselineMemory;
  static Map<String, String> expected;
  static FailingStore reference;
  static PythonZarrReader python;
  private static long mtime = 1_700_000_000_000L;

  /** Where in the transaction the store fails. */
  enum Point {
    STAGED_CHUNK_PUT(Phase.STAGING, Op.PUT, TXN_DATA + CHUNK, 3),
    STAGED_ZMETADATA_PUT(Phase.STAGING, Op.PUT, TXN_DATA + "\\.zmetadata", 1),
    STAGED_MANIFEST_PUT(Phase.STAGING, Op.PUT, "\\.zarrsync/txn/[^/]+/manifest\\.json", 1),
    COMMIT_RECORD(Phase.COMMIT, Op.PUT_IF_ABSENT, "\\.zarrsync/log/[0-9]+\\.json", 1),
    PUBLISH_READ_STAGED_CHUNK(Phase.PUBLISH, Op.GET, TXN_DATA + CHUNK, 2),
    PUBLISH_CHUNK_PUT(Phase.PUBLISH, Op.PUT, CHUNK, 2),
    PUBLISH_CHUNK_DELETE(Phase.PUBLISH, Op.DELETE, CHUNK, 3),
    PUBLISH_ARRAY_METADATA(Phase.PUBLISH, Op.PUT, "[a-z_]+/\\.zarray", 2),
    PUBLISH_ZMETADATA(Phase.PUBLISH, Op.PUT, "\\.zmetadata", 1),
    MANIFEST_PUT(Phase.PUBLISH, Op.PUT, "\\.zarrsync/manifest\\.json", 1),
    CLEANUP_DELETE(Phase.CLEANUP, Op.DELETE, "\\.zarrsync/txn/.+", 3),
    CLEANUP_LIST(Phase.CLEANUP, Op.LIST, "\\.zarrsync/txn/[^/]+/", 1);

    final Phase phase;
    final Op op;
    final String key;
    final int nth;

    Point(Phase phase, Op op, String key, int nth) {
      this.phase = phase;
      this.op = op;
      this.key = key;
      this.nth = nth;
    }

    /** The {@code nth} {@code op} on a key matching {@code key}. */
    Rule rule() {
      return Rule.on(op).key(key).nth(nth);
    }

    Set<Kind> kinds() {
      return switch (op) {
        case PUT, PUT_IF_ABSENT -> EnumSet.allOf(Kind.class);
        case DELETE -> EnumSet.complementOf(EnumSet.of(Kind.DISK_FULL));
        default -> EnumSet.of(Kind.IO_ERROR, Kind.TRANSIENT);
      };
    }
  }

  enum Phase {
    STAGING,
    COMMIT,
    PUBLISH,
    CLEANUP
  }

  /**
   * How the store fails. Retryable kinds keep failing until healed, so that a writer that retries
   * still runs out of attempts; an I/O error happens once; a full disk stays full until healed.
   */
  enum Kind {
    DISK_FULL(Failure.DISK_FULL, false),
    IO_ERROR(Failure.IO_ERROR, false),
    TRANSIENT(Failure.TRANSIENT, true),
    UNKNOWN_AFTER(Failure.UNKNOWN_AFTER, true),
    UNKNOWN_BEFORE(Failure.UNKNOWN_BEFORE, true);

    final Failure failure;
    final boolean persistent;

    Kind(Failure failure, boolean persistent) {
      this.failure = failure;
      this.persistent = persistent;
    }

    Rule apply(Rule r) {
      Rule out = r.with(failure);
      return persistent ? out.persistent() : out;
    }
  }

  /** Which engine runs again once the store is healed. */
  enum Rerun {
    SAME_ENGINE,
    NEW_ENGINE
  }

  @BeforeAll
  static void prepare() throws IOException {
    python = PythonZarrReader.start();
    config = Fixtures.sstConfig();
    List<Path> days = Fixtures.sst(pool.resolve("days"), 4, 40, 60, true);
    Path day0rev1 = pool.resolve("rev/" + Fixtures.sstName(0));
    Files.createDirectories(day0rev1.getParent());
    Fixtures.sstDay(day0rev1, 0, 40, 60, 1, true);
    before = pool.resolve("before");
    copy(days.get(0), before, 0);
    copy(days.get(1), before, 1);
    after = pool.resolve("after");
    copy(day0rev1, after, 0);
    copy(days.get(2), after, 2);
    copy(days.get(3), after, 3);
    baselineDir = pool.resolve("baseline.zarr");
    baselineMemory = new MemoryStore();
    for (Store s : List.of(new FileSystemStore(baselineDir, false), baselineMemory)) {
      try (SyncEngine e = open(before, s)) {
        assertThat(e.sync(ProgressListener.NONE).commits()).containsExactly(1L);
      }
    }
    MemoryStore fresh = new MemoryStore();
    try (SyncEngine e = open(after, fresh)) {
      e.sync(ProgressListener.NONE);
    }
    expected = Scenario.content(fresh);
    // what a clean second commit does, so that every point below is known to exist
    reference = new FailingStore(copyOfBaseline(pool.resolve("reference.zarr")));
    try (SyncEngine e = open(after, reference)) {
      reference.clearCalls();
      assertThat(e.sync(ProgressListener.NONE).commits()).containsExactly(2L);
    }
    assertThat(Scenario.content(reference.delegate())).isEqualTo(expected);
    // the Python check can tell a readable store from an unreadable one
    assertThat(python.check(pool.resolve("reference.zarr")).ok()).isTrue();
    assertThat(python.check(pool.resolve("days")).ok()).isFalse();
  }

  @AfterAll
  static void stopPython() {
    if (python != null) {
      python.close();
    }
  }

  private static void copy(Path file, Path dir, int day) throws IOException {
    Path target = dir.resolve(Fixtures.sstName(day));
    Files.createDirectories(dir);
    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
    mtime += 1000;
    Files.setLastModifiedTime(target, FileTime.fromMillis(mtime));
  }

  private static SyncEngine open(Path source, Store store) {
    return SyncEngine.open(config, new LocalDirectorySource(source), store, options());
  }

  /**
   * The engine's options here. The persistent failures exhaust every attempt of a writer that
   * retries, so once the engine retries with backoff, give it a sleeper that does not sleep (e.g.
   * {@code Retry.defaults().withSleeper(d -> {})}) to keep this class fast.
   */
  private static EngineOptions options() {
    return Scenario.serial().withRetry(io.zarrsync.api.Retry.defaults().withSleeper(d -> {}));
  }

  private static FileSystemStore copyOfBaseline(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(baselineDir)) {
      for (Path p : files.toList()) {
        Path target = dir.resolve(baselineDir.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    // no fsync: the failures here are the store's, not the machine's, and fsync is slow
    return new FileSystemStore(dir, false);
  }

  private static MemoryStore copyOfMemoryBaseline() {
    MemoryStore m = new MemoryStore();
    for (String k : baselineMemory.list("")) {
      m.put(k, baselineMemory.get(k).orElseThrow());
    }
    return m;
  }

  static Stream<Arguments> fileSystemCases() {
    List<Arguments> out = new ArrayList<>();
    Point[] points = Point.values();
    Kind[] kinds = Kind.values();
    for (int pi = 0; pi < points.length; pi++) {
      for (int ki = 0; ki < kinds.length; ki++) {
        if (points[pi].kinds().contains(kinds[ki])) {
          // a checkerboard: every point and every kind is rerun both ways
          Rerun r = (pi + ki) % 2 == 0 ? Rerun.NEW_ENGINE : Rerun.SAME_ENGINE;
          out.add(Arguments.of(points[pi], kinds[ki], r));
        }
      }
    }
    return out.stream();
  }

  static Stream<Arguments> memoryCases() {
    List<Arguments> out = new ArrayList<>();
    int n = 0;
    for (Point p : Point.values()) {
      Kind k = p.kinds().contains(Kind.UNKNOWN_AFTER) ? Kind.UNKNOWN_AFTER : Kind.TRANSIENT;
      out.add(Arguments.of(p, k, n++ % 2 == 0 ? Rerun.SAME_ENGINE : Rerun.NEW_ENGINE));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, {1}, then {2}")
  @MethodSource("fileSystemCases")
  void onDisk(Point point, Kind kind, Rerun rerun) throws IOException {
    Path dir = pool.resolve("case-" + point + "-" + kind + ".zarr");
    run(copyOfBaseline(dir), dir, point, kind, rerun);
  }

  @ParameterizedTest(name = "{0}, {1}, then {2}")
  @MethodSource("memoryCases")
  void inMemory(Point point, Kind kind, Rerun rerun) {
    run(copyOfMemoryBaseline(), null, point, kind, rerun);
  }

  private void run(Store raw, Path dir, Point point, Kind kind, Rerun rerun) {
    Rule rule = kind.apply(point.rule());
    assertThat(reference.calls(rule))
        .as("a clean commit reaches %s", rule)
        .hasSizeGreaterThanOrEqualTo(rule.nth());
    boolean landed =
        point.phase != Phase.STAGING
            && (point != Point.COMMIT_RECORD || kind == Kind.UNKNOWN_AFTER);
    Map<String, String> visibleBefore = Scenario.content(raw);
    FailingStore failing = new FailingStore(raw);
    try (SyncEngine engine = open(after, failing)) {
      failing.fail(rule);
      Throwable thrown = catchThrowable(() -> engine.sync(ProgressListener.NONE));
      assertThat(failing.fired()).as("the failure was injected").isPositive();
      if (thrown == null) {
        // a writer may check the outcome of its commit record, or treat its staging clean-up
        // as best effort; whatever it failed, it must not have lost or doubled the commit
        assertThat(point == Point.COMMIT_RECORD || point.phase == Phase.CLEANUP)
            .as("the run survived %s at %s", kind, point)
            .isTrue();
      } else {
        assertClear(thrown, raw, failing);
      }
      String txn = null;
      assertThat(raw.exists(TxnKeys.log(2))).as("commit 2 exists").isEqualTo(landed);
      if (landed) {
        CommitRecord r = new CommitLog(raw).record(2).orElseThrow();
        txn = r.txn();
        assertThat(r.applied()).containsExactlyInAnyOrder(key(0), key(2), key(3));
      } else {
        Scenario.assertSame(Scenario.content(raw), visibleBefore);
      }
      assertReadable(raw, dir);

      failing.heal();
      if (rerun == Rerun.SAME_ENGINE) {
        rerun(engine, landed, raw, dir, txn);
      } else {
        engine.close();
        try (SyncEngine again = open(after, failing)) {
          rerun(again, landed, raw, dir, txn);
        }
      }
    }
  }

  private static void rerun(SyncEngine engine, boolean landed, Store raw, Path dir, String txn) {
    SyncReport report = engine.sync(ProgressListener.NONE);
    assertThat(report.commits()).isEqualTo(landed ? List.of() : List.of(2L));
    assertFinal(raw, dir, engine, txn);
  }

  /** A StoreException whose message names the store and the key that failed. */
  private static void assertClear(Throwable thrown, Store raw, FailingStore failing) {
    assertThat(thrown).isInstanceOf(StoreException.class);
    List<String> failedKeys =
        failing.failures().stream().map(FailingStore.Call::key).distinct().toList();
    assertThat(thrown.getMessage())
        .as("message of %s", thrown)
        .contains(raw.describe())
        .satisfies(m -> assertThat(failedKeys).anyMatch(m::contains));
  }

  /** .zmetadata is there and every array loads, with our reader and (on disk) with xarray. */
  private static void assertReadable(Store raw, Path dir) {
    assertThat(raw.exists(".zmetadata")).as("%s has .zmetadata", raw.describe()).isTrue();
    ZarrGroup g = ZarrGroup.open(raw);
    assertThat(g.arrayNames()).contains("sea_surface_temperature", "time", "lat", "lon");
    for (String name : g.arrayNames()) {
      ZarrArray a = g.array(name).orElseThrow();
      long[] shape = a.metadata().shapeArray();
      int[] count = new int[shape.length];
      for (int i = 0; i < shape.length; i++) {
        count[i] = Math.toIntExact(shape[i]);
      }
      a.read(new long[shape.length], count);
    }
    if (dir != null) {
      PythonZarrReader.Answer a = python.check(dir);
      assertThat(a.ok()).as("xarray on %s: %s", dir, a.json()).isTrue();
    }
  }

  private static void assertFinal(Store raw, Path dir, SyncEngine engine, String txn) {
    Scenario.assertSame(Scenario.content(raw), expected);
    assertThat(raw.list(TxnKeys.TXN)).isEmpty();
    if (dir != null) {
      assertThat(dir.resolve(TxnKeys.TXN)).doesNotExist();
    }
    List<CommitInfo> log = engine.log();
    assertThat(log).extracting(CommitInfo::seq).containsExactly(1L, 2L);
    assertThat(log).allMatch(CommitInfo::published);
    assertThat(log.get(1).applied()).containsExactlyInAnyOrder(key(0), key(2), key(3));
    assertThat(log.get(1).removed()).containsExactly(key(1));
    if (txn != null) {
      assertThat(log.get(1).txn()).as("the commit that landed, not a new one").isEqualTo(txn);
    }
    assertThat(engine.status().commit()).isEqualTo(2);
    assertThat(engine.sync(ProgressListener.NONE).commits()).isEmpty();
  }

  private static String key(int day) {
    return Fixtures.sstName(day);
  }

  /** Points of the very first commit, when the store has no Zarr group yet. */
  enum FirstPoint {
    ARRAY_METADATA("[a-z_]+/\\.zarray", 3),
    GROUP("\\.zgroup", 1),
    ZMETADATA("\\.zmetadata", 1),
    MANIFEST("\\.zarrsync/manifest\\.json", 1);

    final String key;
    final int nth;

    FirstPoint(String key, int nth) {
      this.key = key;
      this.nth = nth;
    }

    Rule rule() {
      return Rule.on(Op.PUT).key(key).nth(nth);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = FirstPoint.class,
      names = {"ZMETADATA"},
      mode = EnumSource.Mode.EXCLUDE)
  void aFailedFirstPublishIsFinishedByTheNextRun(FirstPoint point) {
    failFirstPublish(point);
  }

  /**
   * The first commit publishes {@code .zgroup} after {@code .zmetadata}: when the {@code
   * .zmetadata} put fails, the store is not yet a group, rather than a group that {@code
   * xarray.open_zarr(consolidated=True)} cannot open ("KeyError: '.zmetadata'").
   */
  @org.junit.jupiter.api.Test
  void aFailedFirstZmetadataPutLeavesNoGroupThatConsolidatedReadersCannotOpen() {
    failFirstPublish(FirstPoint.ZMETADATA);
  }

  private void failFirstPublish(FirstPoint point) {
    Path dir = pool.resolve("first-" + point + ".zarr");
    FileSystemStore raw = new FileSystemStore(dir, false);
    FailingStore failing = new FailingStore(raw);
    try (SyncEngine e = open(before, failing)) {
      failing.fail(point.rule().with(Failure.IO_ERROR));
      assertClear(catchThrowable(() -> e.sync(ProgressListener.NONE)), raw, failing);
      assertThat(raw.exists(TxnKeys.log(1))).isTrue();
      // before its first commit is published the store may be no Zarr group at all; but a reader
      // that finds a group must be able to read it
      if (raw.exists(".zgroup") || raw.exists(".zmetadata")) {
        assertReadable(raw, dir);
      }
      failing.heal();
      assertThat(e.sync(ProgressListener.NONE).commits()).isEmpty();
      assertThat(e.log()).extracting(CommitInfo::seq).containsExactly(1L);
    }
    assertThat(Scenario.content(raw)).isEqualTo(Scenario.content(baselineMemory));
    assertThat(raw.list(TxnKeys.TXN)).isEmpty();
    assertReadable(raw, dir);
  }
}
