package io.zarrsync.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zarrsync.core.SourceEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher on a real directory (inotify on Linux): what it hands to its sink. */
class DirectoryWatcherTest {
  @TempDir Path root;
  @TempDir Path outside;
  private final List<List<SourceEvent>> batches = new ArrayList<>();
  private final AtomicInteger resyncs = new AtomicInteger();
  private DirectoryWatcher watcher;
  private Thread thread;

  /** The latest event per key seen so far (as the committer would apply them). */
  private synchronized Map<String, SourceEvent.Kind> latest() {
    Map<String, SourceEvent.Kind> out = new LinkedHashMap<>();
    for (List<SourceEvent> b : batches) {
      b.forEach(e -> out.put(e.key(), e.kind()));
    }
    return out;
  }

  private synchronized int events() {
    return batches.stream().mapToInt(List::size).sum();
  }

  private void start(Duration debounce, DirectoryWatcher.Sink sink) {
    watcher = new DirectoryWatcher(root, debounce, sink);
    thread = new Thread(watcher::run, "watcher");
    thread.start();
  }

  private void start(DirectoryWatcher.Sink sink) {
    start(Duration.ofMillis(50), sink);
  }

  private void start() {
    start(Duration.ofMillis(50));
  }

  private void start(Duration debounce) {
    start(
        debounce,
        (events, resync) -> {
          synchronized (this) {
            batches.add(List.copyOf(events));
          }
          if (resync) {
            resyncs.incrementAndGet();
          }
        });
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (watcher != null) {
      watcher.close();
      thread.join(5000);
      assertThat(thread.isAlive()).isFalse();
    }
  }

  private static ConditionFactory soon() {
    return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10));
  }

  @Test
  void createdModifiedAndDeletedFilesBecomeEvents() throws Exception {
    start();
    Files.writeString(root.resolve("a.nc"), "1");
    Files.writeString(root.resolve("b c.nc"), "1");
    soon()
        .until(
            () ->
                latest()
                    .equals(
                        Map.of(
                            "a.nc", SourceEvent.Kind.CREATED, "b c.nc", SourceEvent.Kind.CREATED)));

    int before = events();
    Files.writeString(root.resolve("a.nc"), "2");
    soon().until(() -> events() > before);
    assertThat(latest()).containsEntry("a.nc", SourceEvent.Kind.CREATED);

    Files.delete(root.resolve("b c.nc"));
    soon().until(() -> latest().get("b c.nc") == SourceEvent.Kind.REMOVED);
    assertThat(resyncs).hasValue(0);
  }

  @Test
  void changesWithinTheDebounceBecomeOneEventPerFile() throws Exception {
    start(Duration.ofSeconds(1));
    for (int i = 0; i < 5; i++) {
      Files.writeString(root.resolve("x.nc"), "v" + i);
    }
    Files.writeString(root.resolve("gone.nc"), "1");
    Files.delete(root.resolve("gone.nc"));
    soon().until(() -> latest().get("gone.nc") == SourceEvent.Kind.REMOVED);
    synchronized (this) {
      assertThat(batches).hasSize(1);
      assertThat(batches.get(0))
          .containsExactly(SourceEvent.created("x.nc"), SourceEvent.removed("gone.nc"));
    }
  }

  @Test
  void aNewSubdirectoryIsWatchedAndFilesAlreadyInItAreReported() throws Exception {
    start();
    // a directory that arrives with files in it (moved in whole), and one filled afterwards
    Path staged = Files.createDirectories(outside.resolve("2024/01"));
    Files.writeString(staged.resolve("d1.nc"), "1");
    Files.writeString(staged.resolve("d2.nc"), "1");
    Files.move(outside.resolve("2024"), root.resolve("2024"));
    Path fresh = Files.createDirectories(root.resolve("new"));
    Files.writeString(fresh.resolve("n1.nc"), "1");
    soon()
        .until(
            () ->
                latest()
                    .keySet()
                    .containsAll(List.of("2024/01/d1.nc", "2024/01/d2.nc", "new/n1.nc")));

    // later changes deep inside the new directories are seen too
    Files.writeString(root.resolve("2024/01/d3.nc"), "1");
    Files.delete(root.resolve("2024/01/d1.nc"));
    Files.writeString(fresh.resolve("n2.nc"), "1");
    soon()
        .until(
            () ->
                latest().get("2024/01/d3.nc") == SourceEvent.Kind.CREATED
                    && latest().get("2024/01/d1.nc") == SourceEvent.Kind.REMOVED
                    && latest().get("new/n2.nc") == SourceEvent.Kind.CREATED);
    assertThat(latest()).doesNotContainKeys("2024", "2024/01", "new");
    assertThat(resyncs).hasValue(0);
  }

  @Test
  void aDirectoryMovedAwayAsksForAFullReconcile() throws Exception {
    Path sub = Files.createDirectories(root.resolve("sub/deeper"));
    Files.writeString(sub.resolve("f.nc"), "1");
    start();
    // a move reports the directory only: its files vanish without an event each
    Files.move(root.resolve("sub"), outside.resolve("sub"));
    soon().until(() -> resyncs.get() == 1);

    // the moved directory is no longer watched: changes there are not reported as ours
    Files.writeString(outside.resolve("sub/deeper/g.nc"), "1");
    Files.writeString(root.resolve("after.nc"), "1");
    soon().until(() -> latest().containsKey("after.nc"));
    assertThat(latest()).doesNotContainKeys("sub/deeper/g.nc", "sub/deeper/f.nc");
  }

  @Test
  void aBatchTheSinkCannotTakeIsOfferedAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    start(
        (events, resync) -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("spool disk full");
          }
          synchronized (this) {
            batches.add(List.copyOf(events));
          }
        });
    Files.writeString(root.resolve("a.nc"), "1");
    soon().until(() -> latest().containsKey("a.nc"));
    assertThat(calls.get()).isGreaterThanOrEqualTo(2);
    assertThat(thread.isAlive()).isTrue();
  }
}
