package io.zarrsync.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zarrsync.core.CommitInfo;
import io.zarrsync.core.SourceEvent;
import io.zarrsync.core.StoreStatus;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.zarr.store.FailingStore;
import io.zarrsync.zarr.store.FailingStore.Op;
import io.zarrsync.zarr.store.FailingStore.Rule;
import io.zarrsync.zarr.store.FileSystemStore;
import io.zarrsync.zarr.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committer with real engines on local stores: two collections fed by one spool, batching,
 * rejection, failure and retry, unmatched keys, resync.
 */
class CommitterTest {
  static final CollectionConfig SST = Grids.daily("sst", "sst");
  static final CollectionConfig CHL = Grids.daily("chl", "chl");
  static final CommitterSettings FAST =
      CommitterSettings.defaults()
          .withWindow(Duration.ofMillis(200))
          .withIdlePoll(Duration.ofMillis(100));

  @TempDir Path tmp;
  Path source;
  Path spoolDir;
  Spool spool;
  final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    source = Files.createDirectories(tmp.resolve("source"));
    spoolDir = tmp.resolve("spool");
    spool = new Spool(spoolDir);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private SyncEngine engine(CollectionConfig c, Store store) {
    SyncEngine e = Grids.engine(c, source, store);
    closing.add(0, e);
    return e;
  }

  private SyncEngine engine(CollectionConfig c) {
    return engine(c, new FileSystemStore(tmp.resolve(c.name() + ".zarr")));
  }

  private Committer committer(CommitterSettings settings, SyncEngine... engines) {
    Committer c = new Committer(List.of(engines), List.of(spool), settings, Clock.systemUTC());
    closing.add(0, c::shutdown);
    return c;
  }

  /** Runs batches until the spool holds no event file. */
  private static void drain(Committer c, Spool s) throws InterruptedException {
    for (int i = 0; i < 100 && (c.runOnce() > 0 || s.backlog() > 0); i++) {
      // next batch
    }
    assertThat(s.backlog()).isZero();
  }

  private static void event(Path spool, String kind, String key) {
    SourceEvent e = kind.equals("created") ? SourceEvent.created(key) : SourceEvent.removed(key);
    Spool.write(spool, List.of(RoutedEvent.of(e)));
  }

  private List<String> spoolFiles() throws IOException {
    try (Stream<Path> s = Files.list(spoolDir)) {
      return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void oneSpoolFeedsTwoCollectionsRoutedByTheirMatch() throws Exception {
    SyncEngine sst = engine(SST);
    SyncEngine chl = engine(CHL);
    Committer c = committer(FAST, sst, chl);
    for (int d = 0; d < 3; d++) {
      event(spoolDir, "created", Grids.writeDay(source, "sst", d));
    }
    for (int d = 0; d < 2; d++) {
      event(spoolDir, "created", Grids.writeDay(source, "chl", d));
    }
    // shell-style file with two events for different collections
    Files.writeString(
        spoolDir.resolve("9999-shell.txt"),
        "created "
            + Grids.writeDay(source, "sst", 3)
            + "\ncreated "
            + Grids.writeDay(source, "chl", 2),
        StandardCharsets.UTF_8);

    drain(c, spool);

    assertThat(sst.status().shown()).isEqualTo(4);
    assertThat(sst.status().dims()).containsEntry("time", 4L);
    assertThat(chl.status().shown()).isEqualTo(3);
    CommitterStats st = c.stats();
    assertThat(st.acked()).isEqualTo(6);
    assertThat(st.events()).isEqualTo(7);
    assertThat(st.rejected()).isZero();
    assertThat(st.unmatchedEvents()).isZero();
    assertThat(st.lastCommit()).containsOnlyKeys("sst", "chl");
    assertThat(spoolFiles()).isEmpty();

    // a removal goes to its collection only
    Files.delete(source.resolve(Grids.key("chl", 2)));
    event(spoolDir, "removed", Grids.key("chl", 2));
    drain(c, spool);
    assertThat(chl.status().shown()).isEqualTo(2);
    assertThat(sst.status().shown()).isEqualTo(4);
  }

  @Test
  void manySpoolFilesBecomeFewCommits() throws Exception {
    SyncEngine sst = engine(SST);
    Committer c = committer(FAST, sst);
    for (int d = 0; d < 40; d++) {
      event(spoolDir, "created", Grids.writeDay(source, "sst", d));
    }

    drain(c, spool);

    List<CommitInfo> log = sst.log();
    assertThat(log).hasSize(1);
    assertThat(log.get(0).applied()).hasSize(40);
    assertThat(sst.status().shown()).isEqualTo(40);
    assertThat(c.stats().batches()).isEqualTo(1);
    assertThat(c.stats().commits()).isEqualTo(1);
    assertThat(c.stats().acked()).isEqualTo(40);

    // with batches of 15 events the same work is 3 commits
    SyncEngine chl = engine(CHL);
    Committer small = committer(FAST.withBatchSize(15), chl);
    for (int d = 0; d < 40; d++) {
      event(spoolDir, "created", Grids.writeDay(source, "chl", d));
    }
    drain(small, spool);
    assertThat(chl.log()).hasSize(3);
    assertThat(small.stats().batches()).isEqualTo(3);
    assertThat(chl.status().shown()).isEqualTo(40);
  }

  @Test
  void aDeliveryEscapingTheSourceRootIsRejectedAndTheRestOfTheBatchCommits() throws Exception {
    SyncEngine sst = engine(SST);
    Committer c = committer(FAST, sst);
    event(spoolDir, "created", Grids.writeDay(source, "sst", 0));
    Path bad = Spool.write(spoolDir, List.of(RoutedEvent.of(SourceEvent.created("../sst/x.nc"))));
    Path unknown =
        Spool.write(
            spoolDir, List.of(new RoutedEvent("nope", SourceEvent.created(Grids.key("sst", 5)))));
    event(spoolDir, "created", Grids.writeDay(source, "sst", 1));

    assertThat(c.runOnce()).isEqualTo(4);

    assertThat(sst.status().shown()).isEqualTo(2);
    assertThat(sst.log()).hasSize(1);
    CommitterStats st = c.stats();
    assertThat(st.rejected()).isEqualTo(2);
    assertThat(st.acked()).isEqualTo(2);
    Path rejected = spoolDir.resolve(Spool.REJECTED);
    assertThat(rejected.resolve(bad.getFileName())).exists();
    assertThat(Files.readString(rejected.resolve(bad.getFileName() + ".reason")))
        .contains("../sst/x.nc")
        .contains("escapes the source root");
    assertThat(Files.readString(rejected.resolve(unknown.getFileName() + ".reason")))
        .contains("no collection named 'nope'");
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void aFailingStoreReleasesItsDeliveriesAndTheyCommitAfterItHeals() throws Exception {
    FailingStore failing = new FailingStore(new FileSystemStore(tmp.resolve("sst.zarr")));
    SyncEngine sst = engine(SST, failing);
    SyncEngine chl = engine(CHL);
    sst.acquireLease();
    Committer c = committer(FAST, sst, chl);
    List<String> keys = new ArrayList<>();
    for (int d = 0; d < 5; d++) {
      keys.add(Grids.writeDay(source, "sst", d));
      event(spoolDir, "created", keys.get(d));
    }
    event(spoolDir, "created", Grids.writeDay(source, "chl", 0));
    failing.fail(Rule.on(Op.PUT, Op.PUT_IF_ABSENT).persistent());

    assertThat(c.runOnce()).isEqualTo(6);

    CommitterStats st = c.stats();
    assertThat(st.failedBatches()).isEqualTo(1);
    assertThat(st.consecutiveFailures()).isEqualTo(1);
    assertThat(st.released()).isEqualTo(5);
    assertThat(st.acked()).isEqualTo(1);
    assertThat(st.lastError()).startsWith("sst: ").contains("injected by FailingStore");
    assertThat(failing.fired()).isPositive();
    // the other collection's delivery committed; the failed ones wait in the spool
    assertThat(chl.status().shown()).isEqualTo(1);
    assertThat(spoolFiles()).hasSize(5);
    assertThat(spool.backlog()).isEqualTo(5);
    assertThat(sst.status().shown()).isZero();

    // still failing: released again
    assertThat(c.runOnce()).isEqualTo(5);
    assertThat(c.stats().consecutiveFailures()).isEqualTo(2);
    assertThat(spoolFiles()).hasSize(5);

    failing.heal();
    assertThat(c.runOnce()).isEqualTo(5);

    st = c.stats();
    assertThat(st.consecutiveFailures()).isZero();
    assertThat(st.failedBatches()).isEqualTo(2);
    assertThat(st.acked()).isEqualTo(6);
    assertThat(st.released()).isEqualTo(10);
    StoreStatus s = sst.status();
    assertThat(s.shown()).isEqualTo(5);
    assertThat(s.liveFiles()).isEqualTo(5);
    assertThat(s.quarantined()).isZero();
    assertThat(sst.log()).hasSize(1);
    assertThat(spoolFiles()).isEmpty();
    // no staging left behind by the failed attempts
    assertThat(failing.delegate().list(".zarrsync/txn/")).isEmpty();
  }

  @Test
  void unmatchedKeysAreCountedAndKept() throws Exception {
    SyncEngine sst = engine(SST);
    Committer c = committer(FAST, sst);
    Files.writeString(source.resolve("README.txt"), "not data");
    event(spoolDir, "created", "README.txt");
    event(spoolDir, "created", "other/x.nc");
    // named for a collection whose regex does not match it: the engine reports it unmatched
    Spool.write(spoolDir, List.of(new RoutedEvent("sst", SourceEvent.created("sst/notes.txt"))));
    event(spoolDir, "created", Grids.writeDay(source, "sst", 0));

    drain(c, spool);

    CommitterStats st = c.stats();
    assertThat(st.unmatchedEvents()).isEqualTo(3);
    assertThat(st.unmatched())
        .containsExactlyInAnyOrder("README.txt", "other/x.nc", "sst/notes.txt");
    assertThat(st.acked()).isEqualTo(4);
    assertThat(st.rejected()).isZero();
    assertThat(sst.status().shown()).isEqualTo(1);
  }

  @Test
  void aResyncDeliveryReconcilesEveryStoreWithItsSource() throws Exception {
    for (int d = 0; d < 2; d++) {
      Grids.writeDay(source, "sst", d);
    }
    SyncEngine sst = engine(SST);
    SyncEngine chl = engine(CHL);
    Committer c = committer(FAST, sst, chl);
    c.syncAll();
    assertThat(sst.status().shown()).isEqualTo(2);
    assertThat(chl.status().initialized()).isFalse();

    // changes without events (a watcher lost them), then a request for a full reconcile
    Grids.writeDay(source, "sst", 2);
    Files.delete(source.resolve(Grids.key("sst", 0)));
    Grids.writeDay(source, "chl", 0);
    Grids.writeDay(source, "chl", 1);
    Spool.writeResync(spoolDir);

    drain(c, spool);

    assertThat(sst.status().liveFiles()).isEqualTo(2);
    assertThat(sst.status().shown()).isEqualTo(2);
    assertThat(chl.status().shown()).isEqualTo(2);
    assertThat(c.stats().acked()).isEqualTo(1);
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void producersOnManyThreadsFeedOneRunningCommitterAndNothingIsLost() throws Exception {
    SyncEngine sst = engine(SST);
    SyncEngine chl = engine(CHL);
    Committer c = committer(FAST.withBatchSize(25), sst, chl);
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    Thread runner =
        new Thread(
            () -> {
              try {
                c.run(() -> false);
              } catch (Throwable t) {
                errors.add(t);
              }
            },
            "committer");
    runner.start();
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      String dir = p % 2 == 0 ? "sst" : "chl";
      int first = (p / 2) * 15;
      producers.add(
          new Thread(
              () -> {
                for (int d = first; d < first + 15; d++) {
                  event(spoolDir, "created", Grids.writeDay(source, dir, d));
                }
              },
              "producer-" + p));
    }
    producers.forEach(Thread::start);
    for (Thread t : producers) {
      t.join();
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> c.stats().acked() == 60 || !errors.isEmpty());
    c.stop();
    runner.join(10_000);

    assertThat(errors).isEmpty();
    assertThat(runner.isAlive()).isFalse();
    assertThat(sst.status().shown()).isEqualTo(30);
    assertThat(chl.status().shown()).isEqualTo(30);
    assertThat(c.stats().commits()).isLessThanOrEqualTo(c.stats().batches() * 2);
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void stopEndsTheBackoffPauseAfterFailures() throws Exception {
    FailingStore failing = new FailingStore(new FileSystemStore(tmp.resolve("sst.zarr")));
    SyncEngine sst = engine(SST, failing);
    sst.acquireLease();
    Committer c = committer(FAST, sst);
    event(spoolDir, "created", Grids.writeDay(source, "sst", 0));
    failing.fail(Rule.on(Op.PUT, Op.PUT_IF_ABSENT).persistent());
    Thread runner =
        new Thread(
            () -> {
              try {
                c.run(() -> false);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "committer");
    runner.start();
    // after 4 failures in a row the committer pauses 800 ms, after 5 1.6 s
    await().atMost(Duration.ofSeconds(30)).until(() -> c.stats().failedBatches() >= 5);
    long t0 = System.nanoTime();
    c.stop();
    runner.join(10_000);
    assertThat(runner.isAlive()).isFalse();
    assertThat((System.nanoTime() - t0) / 1e6).isLessThan(1000);
    assertThat(spool.backlog()).isEqualTo(1);
  }
}
