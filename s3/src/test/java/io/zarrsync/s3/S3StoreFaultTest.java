package io.zarrsync.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.api.Retry;
import io.zarrsync.s3.testing.FaultyProxy;
import io.zarrsync.s3.testing.FaultyProxy.Fault;
import io.zarrsync.s3.testing.LocalS3;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * S3Store through a proxy that fails about 30% of requests (503 SlowDown, connections dropped
 * before or after the request reached S3): every operation still has its exact result, and every
 * putIfAbsent race still has exactly one winner.
 */
class S3StoreFaultTest {
  private static final int THREADS = 4;
  private static LocalS3 s3;

  private FaultyProxy proxy;
  private S3Store store;
  private S3Store direct;
  private ExecutorService pool;

  @BeforeAll
  static void startServer() {
    s3 = LocalS3.start();
  }

  @AfterAll
  static void stopServer() {
    s3.close();
  }

  @BeforeEach
  void connect() {
    String bucket = s3.createBucket();
    proxy = FaultyProxy.start(s3.endpoint(), 0.3, 42);
    // 15 attempts: a request fails 15 times in a row with probability 0.3^15, about 1e-8.
    Retry retry =
        Retry.defaults().withAttempts(15).withBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
    String uri = "s3://" + bucket + "/faulty.zarr";
    store = S3Locations.store(uri, s3.settings(proxy.endpoint()).withPageSize(3).withRetry(retry));
    direct = S3Locations.store(uri, s3.client(), s3.settings());
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    store.close();
    proxy.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aMixedWorkloadHasExactResultsDespiteFaults() throws Exception {
    Map<String, String> model = new ConcurrentSkipListMap<>();

    // Plain puts from several threads, some keys written twice.
    List<Future<?>> puts = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      puts.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 12; i++) {
                  String key = "data/t" + thread + "/c." + i;
                  String value = key + "#" + "v".repeat(i * 50);
                  store.put(key, bytes("first draft"));
                  store.put(key, bytes(value));
                  model.put(key, value);
                }
                return null;
              }));
    }
    for (Future<?> f : puts) {
      f.get(120, TimeUnit.SECONDS);
    }

    // putIfAbsent races: exactly one winner per key, and the stored bytes are the winner's.
    for (int k = 0; k < 10; k++) {
      String key = "log/" + String.format("%08d", k);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> racers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        String value = "commit " + k + " by writer " + t;
        racers.add(
            pool.submit(
                () -> {
                  go.await();
                  return store.putIfAbsent(key, bytes(value));
                }));
      }
      go.countDown();
      List<Integer> winners = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        if (racers.get(t).get(120, TimeUnit.SECONDS)) {
          winners.add(t);
        }
      }
      assertThat(winners).as("winners of %s", key).hasSize(1);
      String expected = "commit " + k + " by writer " + winners.get(0);
      assertThat(store.get(key)).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes(expected)));
      model.put(key, expected);
      // Late comers lose, and change nothing.
      assertThat(store.putIfAbsent(key, bytes("late"))).isFalse();
    }

    // Reads, lists (3 keys a page) and listChildren all see exactly the model.
    for (Map.Entry<String, String> e : model.entrySet()) {
      assertThat(store.get(e.getKey()))
          .as(e.getKey())
          .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes(e.getValue())));
    }
    assertThat(store.get("data/missing")).isEmpty();
    assertThat(store.exists("data/t0/c.0")).isTrue();
    assertThat(store.exists("data/t0/c.99")).isFalse();
    assertThat(store.list("")).containsExactlyElementsOf(model.keySet());
    assertThat(store.list("data/t2/"))
        .containsExactlyElementsOf(
            model.keySet().stream().filter(k -> k.startsWith("data/t2/")).toList());
    assertThat(store.listChildren("")).containsExactly("data/", "log/");
    assertThat(store.listChildren("data/"))
        .containsExactly("data/t0/", "data/t1/", "data/t2/", "data/t3/");

    // Deletes, some of keys already gone.
    for (int i = 0; i < 12; i += 2) {
      String key = "data/t1/c." + i;
      store.delete(key);
      store.delete(key);
      model.remove(key);
    }
    assertThat(store.list("data/t1/"))
        .containsExactlyElementsOf(
            model.keySet().stream().filter(k -> k.startsWith("data/t1/")).toList());

    // Without the proxy, S3 holds exactly the model: nothing lost, nothing extra.
    Map<String, String> stored = new TreeMap<>();
    for (String key : direct.list("")) {
      stored.put(key, new String(direct.get(key).orElseThrow(), StandardCharsets.UTF_8));
    }
    assertThat(stored).isEqualTo(new TreeMap<>(model));

    // The faults really happened, of every kind.
    Map<Fault, Integer> counts =
        java.util.Arrays.stream(Fault.values()).collect(Collectors.toMap(f -> f, proxy::count));
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isGreaterThan(5));
    int faults = counts.values().stream().mapToInt(Integer::intValue).sum();
    assertThat((double) faults / proxy.requests()).isBetween(0.2, 0.4);
  }

  @Test
  void racingCreatorsUnderFaultsNeverBothWinNorBothLose() throws Exception {
    // Only creates and their read-backs, many keys: the unknown-outcome path is hit often.
    int keys = 25;
    for (int k = 0; k < keys; k++) {
      String key = "race/" + k;
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> racers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        byte[] value = bytes("writer " + t + " of " + k);
        racers.add(
            pool.submit(
                () -> {
                  go.await();
                  return store.putIfAbsent(key, value);
                }));
      }
      go.countDown();
      int winner = -1;
      for (int t = 0; t < THREADS; t++) {
        if (racers.get(t).get(120, TimeUnit.SECONDS)) {
          assertThat(winner).as("second winner for %s", key).isEqualTo(-1);
          winner = t;
        }
      }
      assertThat(winner).as("a winner for %s", key).isNotEqualTo(-1);
      byte[] expected = bytes("writer " + winner + " of " + k);
      assertThat(direct.get(key)).hasValueSatisfying(v -> assertThat(v).isEqualTo(expected));
    }
    assertThat(direct.list("race/")).hasSize(keys);
    assertThat(proxy.count(Fault.DROP_AFTER_FORWARD)).isPositive();
  }
}
