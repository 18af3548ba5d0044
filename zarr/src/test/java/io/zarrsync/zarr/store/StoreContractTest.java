package io.zarrsync.zarr.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link Store} must have. A backend's test extends this class and implements
 * {@link #newStore()}, which must return an empty store.
 */
public abstract class StoreContractTest {
  /** A new, empty store; called before each test. */
  protected abstract Store newStore();

  protected Store store;
  private ExecutorService pool;

  @BeforeEach
  void createStore() {
    store = newStore();
    pool = Executors.newFixedThreadPool(8);
  }

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void getOfMissingKeyIsEmpty() {
    assertThat(store.get("missing")).isEmpty();
    assertThat(store.get("a/b/missing")).isEmpty();
    assertThat(store.exists("missing")).isFalse();
  }

  @Test
  void putThenGetReturnsTheBytes() {
    store.put("a/b/c", bytes("hello"));
    assertThat(store.get("a/b/c")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("hello")));
    assertThat(store.exists("a/b/c")).isTrue();
  }

  @Test
  void putOverwrites() {
    store.put("k", bytes("first value"));
    store.put("k", bytes("2nd"));
    assertThat(store.get("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("2nd")));
    assertThat(store.list("")).containsExactly("k");
  }

  @Test
  void valuesAreCopiedInAndOut() {
    byte[] value = bytes("abc");
    store.put("k", value);
    value[0] = 'X';
    byte[] read = store.get("k").orElseThrow();
    read[1] = 'Y';
    assertThat(store.get("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("abc")));
  }

  @Test
  void deleteRemovesTheKey() {
    store.put("a/b", bytes("1"));
    store.put("a/c", bytes("2"));
    store.delete("a/b");
    assertThat(store.get("a/b")).isEmpty();
    assertThat(store.exists("a/b")).isFalse();
    assertThat(store.exists("a/c")).isTrue();
    assertThat(store.list("")).containsExactly("a/c");
  }

  @Test
  void deleteOfMissingKeyIsNotAnError() {
    store.delete("never/written");
    store.put("x", bytes("1"));
    store.delete("x");
    store.delete("x");
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void aKeyCanBeWrittenAgainAfterDelete() {
    store.put("a/b/c", bytes("1"));
    store.delete("a/b/c");
    store.put("a/b/c", bytes("2"));
    assertThat(store.get("a/b/c")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("2")));
  }

  @Test
  void listReturnsSortedKeysThatStartWithThePrefix() {
    List<String> keys =
        List.of(
            "b",
            "a/.zarray",
            "a/1/2",
            "a/0.1",
            "ab",
            "a.b",
            "c/d/e/f",
            "a/0.0",
            ".zgroup",
            "a/0.10");
    for (String k : keys) {
      store.put(k, bytes(k));
    }
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort(null);
    assertThat(store.list("")).containsExactlyElementsOf(sorted);
    assertThat(store.list("a/")).containsExactly("a/.zarray", "a/0.0", "a/0.1", "a/0.10", "a/1/2");
    // A prefix is a plain string prefix, not a directory boundary.
    assertThat(store.list("a"))
        .containsExactly("a.b", "a/.zarray", "a/0.0", "a/0.1", "a/0.10", "a/1/2", "ab");
    assertThat(store.list("a/0.1")).containsExactly("a/0.1", "a/0.10");
    assertThat(store.list("a/1")).containsExactly("a/1/2");
    assertThat(store.list("c/d/")).containsExactly("c/d/e/f");
    assertThat(store.list("c/d/e/f")).containsExactly("c/d/e/f");
    assertThat(store.list(".")).containsExactly(".zgroup");
    assertThat(store.list("zz")).isEmpty();
    assertThat(store.list("q/r/")).isEmpty();
  }

  @Test
  void listChildrenCollapsesDeeperKeys() {
    for (String k : List.of(".zgroup", "a/.zarray", "a/0.0", "a/b/c", "a/b/d/e", "a.b", "z")) {
      store.put(k, bytes(k));
    }
    assertThat(store.listChildren("")).containsExactly(".zgroup", "a.b", "a/", "z");
    assertThat(store.listChildren("a/")).containsExactly("a/.zarray", "a/0.0", "a/b/");
    assertThat(store.listChildren("a/b/")).containsExactly("a/b/c", "a/b/d/");
    assertThat(store.listChildren("nothing/")).isEmpty();
    store.delete("a/b/d/e");
    assertThat(store.listChildren("a/b/")).containsExactly("a/b/c");
  }

  @Test
  void putIfAbsentCreatesOnlyOnce() {
    assertThat(store.putIfAbsent("log/00000001", bytes("first"))).isTrue();
    assertThat(store.putIfAbsent("log/00000001", bytes("second"))).isFalse();
    assertThat(store.get("log/00000001"))
        .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("first")));
    store.put("plain", bytes("x"));
    assertThat(store.putIfAbsent("plain", bytes("y"))).isFalse();
    assertThat(store.get("plain")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("x")));
  }

  @Test
  void putIfAbsentRaceHasExactlyOneWinner() throws Exception {
    int threads = 8;
    int keys = 20;
    for (int k = 0; k < keys; k++) {
      String key = "race/" + k;
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        byte[] value = bytes("writer-" + t + "-" + "x".repeat(t * 100));
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return store.putIfAbsent(key, value);
                }));
      }
      start.countDown();
      int winner = -1;
      for (int t = 0; t < threads; t++) {
        if (results.get(t).get(30, TimeUnit.SECONDS)) {
          assertThat(winner).as("second winner for %s", key).isEqualTo(-1);
          winner = t;
        }
      }
      assertThat(winner).as("a winner for %s", key).isNotEqualTo(-1);
      byte[] expected = bytes("writer-" + winner + "-" + "x".repeat(winner * 100));
      assertThat(store.get(key)).hasValueSatisfying(v -> assertThat(v).isEqualTo(expected));
    }
    assertThat(store.list("race/")).hasSize(keys);
  }

  @Test
  void emptyValuesAreStored() {
    store.put("empty", new byte[0]);
    assertThat(store.exists("empty")).isTrue();
    assertThat(store.get("empty")).hasValueSatisfying(v -> assertThat(v).isEmpty());
    assertThat(store.putIfAbsent("empty2", new byte[0])).isTrue();
    assertThat(store.get("empty2")).hasValueSatisfying(v -> assertThat(v).isEmpty());
    assertThat(store.list("empty")).containsExactly("empty", "empty2");
  }

  @Test
  void largeValuesRoundTrip() {
    byte[] large = new byte[10 * 1024 * 1024];
    new Random(42).nextBytes(large);
    store.put("big/chunk", large);
    assertThat(store.get("big/chunk")).hasValueSatisfying(v -> assertThat(v).isEqualTo(large));
    byte[] other = Arrays.copyOf(large, large.length - 7);
    other[0] ^= 1;
    assertThat(store.putIfAbsent("big/other", other)).isTrue();
    assertThat(store.get("big/other")).hasValueSatisfying(v -> assertThat(v).isEqualTo(other));
  }

  @Test
  void unusualButValidKeysWork() {
    List<String> keys =
        List.of(".zarray", "a/.zattrs", "with space", "ünïcode/ключ", "a..b", "...", ".hidden/x");
    for (String k : keys) {
      store.put(k, bytes(k));
    }
    for (String k : keys) {
      assertThat(store.get(k)).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes(k)));
    }
    assertThat(store.list("")).containsExactlyInAnyOrderElementsOf(keys);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "/abs", "a//b", "a/", "./a", "a/./b", "../a", "a/..", "..", ".", "a\\b", "a/b\\..",
        "a\0b"
      })
  void invalidKeysAreRejected(String key) {
    byte[] v = bytes("v");
    assertThatThrownBy(() -> store.get(key)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.put(key, v)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.putIfAbsent(key, v))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.exists(key)).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void nullKeyIsRejected() {
    assertThatThrownBy(() -> store.get(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.list(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a", "../", "a//", "./x", "a\\b", "a/../"})
  void invalidPrefixesAreRejected(String prefix) {
    assertThatThrownBy(() -> store.list(prefix)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readersSeeWholeValuesWhileWritersReplaceThem() throws Exception {
    // Each value is one repeated byte b with length 1000 * (b + 1): any mix or truncation shows.
    store.put("hot", value(0));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> problem = new AtomicReference<>();
    List<Future<?>> tasks = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int seed = w;
      tasks.add(
          pool.submit(
              () -> {
                Random r = new Random(seed);
                for (int i = 0; i < 200; i++) {
                  store.put("hot", value(r.nextInt(20)));
                }
                return null;
              }));
    }
    for (int rd = 0; rd < 3; rd++) {
      tasks.add(
          pool.submit(
              () -> {
                while (!stop.get()) {
                  byte[] v = store.get("hot").orElse(null);
                  String error = check(v);
                  if (error != null) {
                    problem.compareAndSet(null, error);
                  }
                }
                return null;
              }));
    }
    for (int i = 0; i < 3; i++) {
      tasks.get(i).get(120, TimeUnit.SECONDS);
    }
    stop.set(true);
    for (Future<?> f : tasks) {
      f.get(120, TimeUnit.SECONDS);
    }
    assertThat(problem.get()).isNull();
    assertThat(check(store.get("hot").orElse(null))).isNull();
  }

  private static byte[] value(int b) {
    byte[] v = new byte[1000 * (b + 1)];
    Arrays.fill(v, (byte) b);
    return v;
  }

  private static String check(byte[] v) {
    if (v == null) {
      return "value vanished";
    }
    if (v.length == 0 || v.length != 1000 * (v[0] + 1)) {
      return "torn value of length " + v.length;
    }
    for (byte x : v) {
      if (x != v[0]) {
        return "mixed value";
      }
    }
    return null;
  }

  @Test
  void concurrentWritersOfDifferentKeysAllLand() throws Exception {
    List<Callable<Void>> jobs = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      jobs.add(
          () -> {
            for (int i = 0; i < 50; i++) {
              String key = "arr/" + thread + "." + i;
              store.put(key, bytes(key));
            }
            return null;
          });
    }
    for (Future<Void> f : pool.invokeAll(jobs)) {
      f.get(60, TimeUnit.SECONDS);
    }
    List<String> listed = store.list("arr/");
    assertThat(listed).hasSize(200).isSorted();
    for (String key : listed) {
      assertThat(store.get(key)).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes(key)));
    }
  }

  @Test
  void deletesDoNotDisturbWritesInTheSameDirectory() throws Exception {
    // A backend that prunes empty directories on delete must not lose a concurrent put.
    Future<?> churn =
        pool.submit(
            () -> {
              for (int i = 0; i < 300; i++) {
                store.put("d/x/churn", bytes("c" + i));
                store.delete("d/x/churn");
              }
              return null;
            });
    Future<?> writer =
        pool.submit(
            () -> {
              for (int i = 0; i < 300; i++) {
                String key = "d/x/k" + (i % 5);
                byte[] expected = bytes("v" + i);
                store.put(key, expected);
                Optional<byte[]> got = store.get(key);
                assertThat(got).hasValueSatisfying(v -> assertThat(v).isEqualTo(expected));
                store.delete(key);
              }
              return null;
            });
    churn.get(120, TimeUnit.SECONDS);
    writer.get(120, TimeUnit.SECONDS);
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void describeNamesTheStore() {
    assertThat(store.describe()).isNotBlank();
  }
}
