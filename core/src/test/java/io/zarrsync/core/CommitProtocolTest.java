package io.zarrsync.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.LeaseHeldException;
import io.zarrsync.api.StoreConflictException;
import io.zarrsync.api.StoreException;
import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.core.txn.TxnKeys;
import io.zarrsync.zarr.store.FileSystemStore;
import io.zarrsync.zarr.store.MemoryStore;
import io.zarrsync.zarr.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging, the commit point, publish and recovery, with writers that die at chosen points. */
class CommitProtocolTest {
  @TempDir static Path pool;
  @TempDir Path tmp;
  static List<Path> days;

  @BeforeAll
  static void generate() {
    days = Fixtures.sst(pool, 3, 40, 60, true);
  }

  /** Syncs day 0, then day 1 and 2 through a store that dies where told; returns the raw store. */
  private Store crashSecondCommit(Store raw, BiPredicate<String, String> dieAt, Scenario[] out) {
    Scenario s = new Scenario(tmp.resolve("src"), raw, Fixtures.sstConfig(), Scenario.serial());
    s.put(days.get(0), Fixtures.sstName(0));
    s.sync();
    s.close();
    s.put(days.get(1), Fixtures.sstName(1)).put(days.get(2), Fixtures.sstName(2));
    DyingStore dying = new DyingStore(raw, dieAt);
    try (SyncEngine e =
        SyncEngine.open(
            Fixtures.sstConfig(), new LocalDirectorySource(s.source), dying, Scenario.serial())) {
      assertThatThrownBy(() -> e.sync(ProgressListener.NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("injected crash");
    }
    assertThat(dying.dead()).isTrue();
    out[0] = s;
    return raw;
  }

  /**
   * The next writer after a crash: the dead writer could not release its lease, so on a store
   * without a local file lock the next writer comes after the lease expired (a later clock).
   */
  private static EngineOptions afterExpiry() {
    return Scenario.serial()
        .withClock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(2)));
  }

  private static boolean dataKey(String key) {
    return !TxnKeys.internal(key);
  }

  @Test
  void aCommitWhoseWriterDiedBeforePublishingIsRolledForwardOnOpen() {
    Scenario[] s = new Scenario[1];
    Store raw =
        crashSecondCommit(new MemoryStore(), (op, key) -> op.equals("put") && dataKey(key), s);
    assertThat(raw.exists(TxnKeys.log(2))).isTrue();
    assertThat(raw.list(TxnKeys.TXN)).isNotEmpty();
    // before the dead writer's lease expires, a second writer is refused and a reader sees commit 1
    try (SyncEngine e =
        SyncEngine.open(
            Fixtures.sstConfig(), new LocalDirectorySource(s[0].source), raw, Scenario.serial())) {
      assertThat(e.status().commit()).isEqualTo(1);
      assertThatThrownBy(() -> e.sync(ProgressListener.NONE))
          .isInstanceOf(LeaseHeldException.class)
          .hasMessageContaining("is being written by zarrsync (pid")
          .hasMessageContaining("nothing was written");
    }
    assertThat(raw.list(TxnKeys.TXN)).isNotEmpty();
    try (SyncEngine e =
        SyncEngine.open(
            Fixtures.sstConfig(), new LocalDirectorySource(s[0].source), raw, afterExpiry())) {
      e.acquireLease();
      assertThat(e.status().commit()).isEqualTo(2);
      assertThat(e.status().dims()).containsEntry("time", 3L);
      assertThat(raw.list(TxnKeys.TXN)).isEmpty();
      assertThat(e.sync(ProgressListener.NONE).commits()).isEmpty();
      assertThat(e.log()).extracting(CommitInfo::published).containsExactly(true, true);
    }
    Scenario.assertSame(Scenario.content(raw), s[0].freshSyncContent());
  }

  @Test
  void aPublishInterruptedHalfwayIsFinishedOnOpen() {
    int[] chunkPuts = {0};
    Scenario[] s = new Scenario[1];
    Store raw =
        crashSecondCommit(
            new MemoryStore(),
            (op, key) -> op.equals("put") && dataKey(key) && ++chunkPuts[0] == 7,
            s);
    try (SyncEngine e =
        SyncEngine.open(
            Fixtures.sstConfig(), new LocalDirectorySource(s[0].source), raw, afterExpiry())) {
      e.acquireLease();
      assertThat(e.status().commit()).isEqualTo(2);
      assertThat(e.verify(ProgressListener.NONE).clean()).isTrue();
    }
    Scenario.assertSame(Scenario.content(raw), s[0].freshSyncContent());
    assertThat(raw.list(TxnKeys.TXN)).isEmpty();
  }

  @Test
  void aWriterThatDiedWhileStagingLeavesNothingVisibleAndItsStagingIsRemoved() {
    Scenario[] s = new Scenario[1];
    MemoryStore raw = new MemoryStore();
    int[] staged = {0};
    Map<String, String> before = new java.util.TreeMap<>();
    crashSecondCommit(
        raw,
        (op, key) -> {
          if (before.isEmpty()) {
            before.putAll(Scenario.content(raw));
          }
          return op.equals("put") && key.startsWith(TxnKeys.TXN) && ++staged[0] == 5;
        },
        s);
    assertThat(raw.list(TxnKeys.TXN)).isNotEmpty();
    assertThat(raw.exists(TxnKeys.log(2))).isFalse();
    Scenario.assertSame(Scenario.content(raw), before);
    try (SyncEngine e =
        SyncEngine.open(
            Fixtures.sstConfig(), new LocalDirectorySource(s[0].source), raw, afterExpiry())) {
      e.acquireLease();
      assertThat(raw.list(TxnKeys.TXN)).isEmpty();
      assertThat(e.status().commit()).isEqualTo(1);
      assertThat(e.sync(ProgressListener.NONE).added()).isEqualTo(2);
    }
    Scenario.assertSame(Scenario.content(raw), s[0].freshSyncContent());
  }

  @Test
  void aSecondWriterIsRefusedWhileTheFirstHoldsTheLeaseAndReadersNeedNone() {
    Path src = tmp.resolve("src");
    FileSystemStore raw = new FileSystemStore(tmp.resolve("store.zarr"));
    Scenario a = new Scenario(src, raw, Fixtures.sstConfig(), Scenario.serial());
    a.put(days.get(0), Fixtures.sstName(0));
    a.sync();
    a.put(days.get(1), Fixtures.sstName(1));
    Map<String, String> before = Scenario.content(raw);
    try (SyncEngine b =
        SyncEngine.open(
            Fixtures.sstConfig(), new LocalDirectorySource(src), raw, Scenario.serial())) {
      assertThat(b.status().commit()).isEqualTo(1);
      assertThat(b.log()).hasSize(1);
      assertThatThrownBy(() -> b.sync(ProgressListener.NONE))
          .isInstanceOf(LeaseHeldException.class)
          .hasMessageContaining(
              "is being written by zarrsync (pid " + ProcessHandle.current().pid());
      Scenario.assertSame(Scenario.content(raw), before);
      a.close();
      // once the holder is gone the second writer takes over
      assertThat(b.sync(ProgressListener.NONE).commits()).containsExactly(2L);
    }
    Scenario.assertSame(Scenario.content(raw), a.freshSyncContent());
  }

  @Test
  void aWriterWhoseLeaseLapsedLosesTheCommitRaceAndPublishesNothing() {
    Path src = tmp.resolve("src");
    MemoryStore raw = new MemoryStore();
    Scenario a = new Scenario(src, raw, Fixtures.sstConfig(), Scenario.serial());
    a.put(days.get(0), Fixtures.sstName(0));
    a.sync();
    a.close();
    a.put(days.get(1), Fixtures.sstName(1));
    AtomicBoolean interfered = new AtomicBoolean();
    // B passed its lease check, then stalled past its lease right before the commit point; C,
    // which saw B's lease expired, took the store over and committed the same change first
    Store racing =
        new DyingStore(raw, (op, key) -> false) {
          @Override
          public boolean putIfAbsent(String key, byte[] value) {
            if (key.startsWith(TxnKeys.LOG) && interfered.compareAndSet(false, true)) {
              try (SyncEngine c =
                  SyncEngine.open(
                      Fixtures.sstConfig(), new LocalDirectorySource(src), raw, afterExpiry())) {
                assertThat(c.sync(ProgressListener.NONE).commits()).containsExactly(2L);
              }
            }
            return super.putIfAbsent(key, value);
          }
        };
    Map<String, String> afterC;
    try (SyncEngine b =
        SyncEngine.open(
            Fixtures.sstConfig(), new LocalDirectorySource(src), racing, Scenario.serial())) {
      assertThatThrownBy(() -> b.sync(ProgressListener.NONE))
          .isInstanceOf(StoreConflictException.class)
          .hasMessageContaining("another writer committed 2 first");
      afterC = Scenario.content(raw);
      assertThat(raw.list(TxnKeys.TXN)).isEmpty();
      // B's lease is gone: its next write takes a new one and finds nothing left to do
      assertThat(b.sync(ProgressListener.NONE).commits()).isEmpty();
    }
    Scenario.assertSame(Scenario.content(raw), afterC);
    assertThat(new io.zarrsync.core.txn.CommitLog(raw).records()).hasSize(2);
    assertThat(Optional.of(Scenario.content(raw))).get().isEqualTo(a.freshSyncContent());
  }

  @Test
  void aRenamePublishInterruptedHalfwayOnDiskIsFinishedOnOpen() throws Exception {
    Scenario[] s = new Scenario[1];
    FileSystemStore raw = new FileSystemStore(tmp.resolve("store.zarr"));
    crashSecondCommit(raw, (op, key) -> op.equals("put") && dataKey(key), s);
    // half of the staged objects had been renamed into place when the writer died
    List<String> staged = raw.list(TxnKeys.TXN);
    int moved = 0;
    for (String key : staged) {
      int data = key.indexOf("/data/");
      if (data > 0 && moved++ % 2 == 0) {
        Path target = raw.root().resolve(key.substring(data + 6));
        java.nio.file.Files.createDirectories(target.getParent());
        java.nio.file.Files.move(
            raw.root().resolve(key), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    assertThat(moved).isGreaterThan(4);
    // on a local disk the dead writer's file lock is gone, so its lease is taken over at once
    try (SyncEngine e =
        SyncEngine.open(
            Fixtures.sstConfig(), new LocalDirectorySource(s[0].source), raw, Scenario.serial())) {
      e.acquireLease();
      assertThat(e.status().commit()).isEqualTo(2);
      assertThat(e.verify(ProgressListener.NONE).clean()).isTrue();
    }
    assertThat(raw.list(TxnKeys.TXN)).isEmpty();
    assertThat(raw.root().resolve(TxnKeys.TXN)).doesNotExist();
    Scenario.assertSame(Scenario.content(raw), s[0].freshSyncContent());
  }
}
