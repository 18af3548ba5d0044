package io.zarrsync.core.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.zarrsync.api.LeaseHeldException;
import io.zarrsync.api.Retry;
import io.zarrsync.api.StoreConflictException;
import io.zarrsync.zarr.store.FileSystemStore;
import io.zarrsync.zarr.store.MemoryStore;
import io.zarrsync.zarr.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLeaseTest {
  private static final Clock NOW = Clock.systemUTC();
  private static final Clock LATER = Clock.offset(NOW, Duration.ofMinutes(5));
  private static final LeaseOptions OPTS = LeaseOptions.defaults().withHolder("test");

  @TempDir Path tmp;

  private static StoreLease take(Store s, LeaseOptions o, Clock c) {
    return StoreLease.acquire(s, o, c, Retry.none());
  }

  @Test
  void aSecondWriterIsRefusedWithTheHolderNamedUntilTheFirstReleases() {
    MemoryStore store = new MemoryStore();
    StoreLease first = take(store, OPTS.withSpool("/var/spool/z"), NOW);
    assertThat(first.record().epoch()).isEqualTo(1);
    assertThatThrownBy(() -> take(store, OPTS, NOW))
        .isInstanceOfSatisfying(
            LeaseHeldException.class,
            e -> {
              assertThat(e.holder()).startsWith("test (pid ");
              assertThat(e.expires()).isEqualTo(first.record().expires());
            })
        .hasMessageContaining("is being written by test (pid")
        .hasMessageContaining("use --wait")
        .hasMessageContaining("spool /var/spool/z");
    first.close();
    assertThat(StoreLease.current(store, Retry.none()).orElseThrow().released()).isTrue();
    try (StoreLease second = take(store, OPTS, NOW)) {
      assertThat(second.record().epoch()).isEqualTo(2);
      // older epochs are removed once a newer one is taken
      assertThat(store.list(StoreLease.PREFIX)).containsExactly(StoreLease.key(2));
    }
  }

  @Test
  void anExpiredLeaseIsTakenOverAndItsHolderFindsOutItLostIt() {
    MemoryStore store = new MemoryStore();
    StoreLease dead = take(store, OPTS, NOW);
    assertThatThrownBy(() -> take(store, OPTS, NOW)).isInstanceOf(LeaseHeldException.class);
    try (StoreLease next = take(store, OPTS, LATER)) {
      assertThat(next.record().epoch()).isEqualTo(2);
      assertThat(dead.stillHeld()).isFalse();
      assertThatThrownBy(dead::checkBeforeCommit)
          .isInstanceOf(StoreConflictException.class)
          .hasMessageContaining("lost the lease");
      dead.close(); // must not release the new holder's lease
      assertThat(StoreLease.current(store, Retry.none()).orElseThrow().released()).isFalse();
      next.check();
    }
  }

  @Test
  void writersRacingForAnExpiredLeaseEndWithExactlyOneHolder() throws Exception {
    MemoryStore store = new MemoryStore();
    take(store, OPTS, NOW); // its holder "dies" without releasing
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<StoreLease>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  return take(store, OPTS, LATER);
                } catch (LeaseHeldException e) {
                  return null;
                }
              }));
    }
    go.countDown();
    List<StoreLease> winners = new ArrayList<>();
    for (Future<StoreLease> f : results) {
      if (f.get() != null) {
        winners.add(f.get());
      }
    }
    pool.shutdown();
    assertThat(winners).hasSize(1);
    assertThat(winners.get(0).record().epoch()).isEqualTo(2);
    winners.get(0).close();
  }

  @Test
  void aWaitingWriterGetsTheLeaseWhenTheHolderReleasesIt() throws Exception {
    MemoryStore store = new MemoryStore();
    StoreLease first = take(store, OPTS, NOW);
    Thread releaser =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              first.close();
            });
    releaser.start();
    long t0 = System.nanoTime();
    try (StoreLease second = take(store, OPTS.withWait(Duration.ofSeconds(10)), NOW)) {
      assertThat(second.record().epoch()).isEqualTo(2);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(250));
    }
    releaser.join();
  }

  @Test
  void aWaitThatRunsOutStillFailsWithTheHolder() {
    MemoryStore store = new MemoryStore();
    try (StoreLease first = take(store, OPTS, NOW)) {
      assertThatThrownBy(() -> take(store, OPTS.withWait(Duration.ofMillis(300)), NOW))
          .isInstanceOf(LeaseHeldException.class);
      first.check();
    }
  }

  @Test
  void theHolderRenewsItsLeaseInTheBackground() throws Exception {
    MemoryStore store = new MemoryStore();
    try (StoreLease lease = take(store, OPTS.withTtl(Duration.ofMillis(600)), NOW)) {
      Instant first = lease.record().expires();
      Thread.sleep(1500);
      assertThat(lease.record().expires()).isAfter(first.plusMillis(700));
      assertThat(StoreLease.current(store, Retry.none()).orElseThrow().expires())
          .isEqualTo(lease.record().expires());
      lease.check();
      assertThat(lease.stillHeld()).isTrue();
    }
  }

  @Test
  void onALocalDiskASecondWriterInTheSameHostIsRefusedAtOnce() {
    FileSystemStore store = new FileSystemStore(tmp.resolve("s.zarr"));
    try (StoreLease first = take(store, OPTS, NOW)) {
      // even with a clock that sees the lease expired, the file lock refuses it
      assertThatThrownBy(() -> take(store, OPTS, LATER))
          .isInstanceOf(LeaseHeldException.class)
          .hasMessageContaining("is being written by test (pid");
      assertThat(first.stillHeld()).isTrue();
    }
  }

  @Test
  void onALocalDiskALeaseOfADeadProcessOfThisHostIsTakenOverAtOnce() throws Exception {
    FileSystemStore store = new FileSystemStore(tmp.resolve("s.zarr"));
    Instant now = NOW.instant();
    // what a SIGKILLed writer leaves: an unreleased, unexpired lease, and no file lock
    store.put(StoreLease.key(7), lease(7, StoreLease.hostName(), now.plusSeconds(30)));
    try (StoreLease next = take(store, OPTS, NOW)) {
      assertThat(next.record().epoch()).isEqualTo(8);
    }
    // a lease of another host is respected until it expires: that host may still be writing
    FileSystemStore shared = new FileSystemStore(tmp.resolve("nfs.zarr"));
    shared.put(StoreLease.key(3), lease(3, "other-host", now.plusSeconds(30)));
    assertThatThrownBy(() -> take(shared, OPTS, NOW))
        .isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("on other-host");
    try (StoreLease next = take(shared, OPTS, LATER)) {
      assertThat(next.record().epoch()).isEqualTo(4);
    }
  }

  private static byte[] lease(long epoch, String host, Instant expires) throws Exception {
    LeaseRecord r =
        new LeaseRecord(
            epoch,
            "dead-token",
            "zarrsync sync (pid 1 on " + host + ")",
            host,
            1,
            expires.minusSeconds(30),
            expires,
            false,
            null);
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .writeValueAsBytes(r);
  }
}
