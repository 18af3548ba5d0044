package io.zarrsync.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.api.Retry;
import io.zarrsync.api.StoreException;
import io.zarrsync.api.TransientStoreException;
import io.zarrsync.api.UnknownOutcomeException;
import io.zarrsync.s3.testing.FaultyProxy;
import io.zarrsync.s3.testing.FaultyProxy.Fault;
import io.zarrsync.s3.testing.LocalS3;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** S3Store beyond the contract: paging, raw keys, prefixes, error mapping and retries. */
class S3StoreTest {
  private static LocalS3 s3;

  @BeforeAll
  static void startServer() {
    s3 = LocalS3.start();
  }

  @AfterAll
  static void stopServer() {
    s3.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Every object key in {@code bucket}, as S3 has it. */
  private static List<String> objectKeys(String bucket) {
    return s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
        .map(S3Object::key)
        .sorted()
        .toList();
  }

  /** Counts retry pauses instead of sleeping. */
  private static final class CountingSleeper implements Retry.Sleeper {
    final AtomicInteger pauses = new AtomicInteger();

    @Override
    public void sleep(Duration d) {
      pauses.incrementAndGet();
    }
  }

  @Test
  void listAndListChildrenFollowContinuationTokens() {
    String bucket = s3.createBucket();
    try (FaultyProxy counter = FaultyProxy.start(s3.endpoint(), 0, 1);
        S3Store store =
            S3Locations.store(
                "s3://" + bucket + "/paged", s3.settings(counter.endpoint()).withPageSize(2))) {
      List<String> keys =
          List.of("d/a", "d/b", "d/c", "d/e/1", "d/e/2", "d/f/1", "d/g", "d/h/x/y", "top");
      for (String k : keys) {
        store.put(k, bytes(k));
      }
      int before = counter.requests();
      assertThat(store.list("")).containsExactlyElementsOf(keys);
      // 9 keys, 2 a page: 5 requests.
      assertThat(counter.requests() - before).isEqualTo(5);

      before = counter.requests();
      assertThat(store.listChildren("d/"))
          .containsExactly("d/a", "d/b", "d/c", "d/e/", "d/f/", "d/g", "d/h/");
      // 4 keys and 3 common prefixes, 2 entries a page: 4 requests.
      assertThat(counter.requests() - before).isEqualTo(4);
      assertThat(store.listChildren("")).containsExactly("d/", "top");
      assertThat(store.list("d/e")).containsExactly("d/e/1", "d/e/2");
    }
  }

  @Test
  void keptAliveConnectionsCarryManyWritesWithoutASingleFailure() {
    // Regression: with aws-chunked bodies s3proxy dropped the connection after some PUTs and
    // about one write in ten failed; with retries off, any such failure fails this test.
    String bucket = s3.createBucket();
    try (S3Store store =
        S3Locations.store("s3://" + bucket, s3.settings().withRetry(Retry.none()))) {
      for (int i = 0; i < 60; i++) {
        store.put("k" + (i % 10), bytes("value " + i));
        assertThat(store.putIfAbsent("once/" + i, bytes("v" + i))).isTrue();
        assertThat(store.putIfAbsent("once/" + i, bytes("w" + i))).isFalse();
      }
      assertThat(store.list("once/")).hasSize(60);
    }
  }

  @Test
  void keysWithSpacesUnicodeAndPlusAreStoredAsTheyAre() {
    String bucket = s3.createBucket();
    S3Store store = S3Locations.store("s3://" + bucket + "/p q+r", s3.client(), s3.settings());
    List<String> keys =
        List.of("a b/c d", "plus+sign", "x%20y", "ünï/ключ/値", "amp&eq=q?h#", "tilde~'quote'");
    for (String k : keys) {
      store.put(k, bytes("v:" + k));
    }
    assertThat(objectKeys(bucket))
        .containsExactlyInAnyOrderElementsOf(keys.stream().map(k -> "p q+r/" + k).toList());
    for (String k : keys) {
      assertThat(store.get(k)).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v:" + k)));
      assertThat(store.exists(k)).isTrue();
    }
    assertThat(store.list("")).containsExactlyInAnyOrderElementsOf(keys).isSorted();
    assertThat(store.listChildren("ünï/")).containsExactly("ünï/ключ/");
    assertThat(store.putIfAbsent("plus+sign", bytes("other"))).isFalse();
    assertThat(store.exists("plus sign")).isFalse();
    store.delete("a b/c d");
    assertThat(store.exists("a b/c d")).isFalse();
    assertThat(store.describe()).isEqualTo("s3://" + bucket + "/p q+r");
  }

  @Test
  void keysThatWouldLeaveThePrefixAreRejectedBeforeAnyRequest() {
    String bucket = s3.createBucket();
    S3Store store = S3Locations.store("s3://" + bucket + "/inner", s3.client(), s3.settings());
    for (String bad : List.of("../outside", "a/../../x", "/abs", "./a", "a//b")) {
      assertThatThrownBy(() -> store.put(bad, bytes("x")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.putIfAbsent(bad, bytes("x")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.get(bad)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.delete(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> store.list("../")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.listChildren("../"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(objectKeys(bucket)).isEmpty();
    assertThatThrownBy(() -> S3Locations.store("s3://" + bucket + "/a/../b", s3.settings()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("'..'");
  }

  @Test
  void aPartialPrefixSegmentCannotReachOutsideTheStore() {
    String bucket = s3.createBucket();
    S3Store store = S3Locations.store("s3://" + bucket + "/in/store", s3.client(), s3.settings());
    S3Store sibling = S3Locations.store("s3://" + bucket + "/in", s3.client(), s3.settings());
    sibling.put("other", bytes("x"));
    store.put("mine", bytes("y"));
    assertThat(store.list("..")).isEmpty();
    assertThat(store.list(".")).isEmpty();
    assertThat(store.list("")).containsExactly("mine");
    assertThat(sibling.list("")).containsExactly("other", "store/mine");
  }

  @Test
  void aStoreAtTheBucketRootIgnoresKeysThatAreNotStoreKeys() {
    String bucket = s3.createBucket();
    s3.client().putObject(b -> b.bucket(bucket).key("folder/"), body(""));
    s3.client().putObject(b -> b.bucket(bucket).key("folder/x"), body("x"));
    S3Store store = S3Locations.store("s3://" + bucket, s3.client(), s3.settings());
    assertThat(store.describe()).isEqualTo("s3://" + bucket);
    assertThat(store.list("")).containsExactly("folder/x");
    assertThat(store.listChildren("folder/")).containsExactly("folder/x");
    assertThat(store.listChildren("")).containsExactly("folder/");
  }

  private static software.amazon.awssdk.core.sync.RequestBody body(String s) {
    return software.amazon.awssdk.core.sync.RequestBody.fromString(s);
  }

  @Test
  void aCreateWhoseResponseIsLostIsFoundByReadingItBack() {
    String bucket = s3.createBucket();
    try (FaultyProxy proxy =
        FaultyProxy.start(s3.endpoint(), 1.0, 7, Set.of(Fault.DROP_AFTER_FORWARD))) {
      proxy.setFaultFilter(line -> line.startsWith("PUT "));
      S3Store store =
          new S3Store(
              s3.client(),
              S3Location.parse("s3://" + bucket + "/s"),
              s3.settings(proxy.endpoint()));
      try (S3Store viaProxy =
          S3Locations.store("s3://" + bucket + "/s", s3.settings(proxy.endpoint()))) {
        // Every PUT takes effect but its response is lost: only the read-back can tell.
        assertThat(viaProxy.putIfAbsent("log/1", bytes("mine"))).isTrue();
        assertThat(viaProxy.putIfAbsent("log/1", bytes("theirs"))).isFalse();
        assertThat(store.get("log/1"))
            .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("mine")));
        // A plain put is repeated until it gives up; the write did happen.
        assertThatThrownBy(() -> viaProxy.put("plain", bytes("p")))
            .isInstanceOf(UnknownOutcomeException.class)
            .hasMessageContaining("s3://" + bucket + "/s/plain");
        assertThat(store.get("plain")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("p")));
      }
      assertThat(proxy.count(Fault.DROP_AFTER_FORWARD)).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aCreateThatNeverArrivesIsRetriedAndThenReportedAsUnknown() {
    String bucket = s3.createBucket();
    CountingSleeper sleeper = new CountingSleeper();
    try (FaultyProxy proxy =
            FaultyProxy.start(s3.endpoint(), 1.0, 7, Set.of(Fault.DROP_BEFORE_FORWARD));
        S3Store store =
            S3Locations.store(
                "s3://" + bucket + "/s",
                s3.settings(proxy.endpoint())
                    .withRetry(Retry.defaults().withAttempts(4).withSleeper(sleeper)))) {
      proxy.setFaultFilter(line -> line.startsWith("PUT "));
      assertThatThrownBy(() -> store.putIfAbsent("log/1", bytes("mine")))
          .isInstanceOf(UnknownOutcomeException.class)
          .hasMessageContaining("log/1");
      // Each of the 4 attempts was checked (a GET finding nothing) and then repeated.
      assertThat(proxy.count(Fault.DROP_BEFORE_FORWARD)).isEqualTo(4);
      assertThat(sleeper.pauses.get()).isEqualTo(3);
      assertThat(objectKeys(bucket)).isEmpty();
    }
  }

  @Test
  void throttlingIsRetriedThenReportedAsTransient() {
    String bucket = s3.createBucket();
    CountingSleeper sleeper = new CountingSleeper();
    try (FaultyProxy proxy = FaultyProxy.start(s3.endpoint(), 1.0, 3, Set.of(Fault.SLOW_DOWN));
        S3Store store =
            S3Locations.store(
                "s3://" + bucket,
                s3.settings(proxy.endpoint())
                    .withRetry(Retry.defaults().withAttempts(3).withSleeper(sleeper)))) {
      assertThatThrownBy(() -> store.put("k", bytes("v")))
          .isInstanceOf(TransientStoreException.class)
          .hasMessageContaining("SlowDown")
          .hasMessageContaining("s3://" + bucket + "/k");
      assertThatThrownBy(() -> store.exists("k")).isInstanceOf(TransientStoreException.class);
      assertThatThrownBy(() -> store.putIfAbsent("k", bytes("v")))
          .isInstanceOf(TransientStoreException.class);
      assertThat(proxy.count(Fault.SLOW_DOWN)).isEqualTo(9);
      assertThat(sleeper.pauses.get()).isEqualTo(6);
      assertThat(objectKeys(bucket)).isEmpty();
    }
  }

  @Test
  void aRefusedConnectionIsTransient() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    CountingSleeper sleeper = new CountingSleeper();
    try (S3Store store =
        S3Locations.store(
            "s3://nobody-listens/x",
            s3.settings(URI.create("http://127.0.0.1:" + port))
                .withRetry(Retry.defaults().withAttempts(2).withSleeper(sleeper)))) {
      assertThatThrownBy(() -> store.put("k", bytes("v")))
          .isInstanceOf(TransientStoreException.class)
          .hasMessageContaining("cannot connect")
          .hasMessageContaining("s3://nobody-listens/x/k");
      assertThatThrownBy(() -> store.list("")).isInstanceOf(TransientStoreException.class);
      assertThat(sleeper.pauses.get()).isEqualTo(2);
    }
  }

  @Test
  void wrongCredentialsAndMissingBucketsFailAtOnceSayingWhatToCheck() {
    String bucket = s3.createBucket();
    CountingSleeper sleeper = new CountingSleeper();
    Retry retry = Retry.defaults().withSleeper(sleeper);
    try (S3Store wrongKey =
        S3Locations.store(
            "s3://" + bucket + "/x",
            s3.settings().withCredentials(LocalS3.ACCESS_KEY, "not-the-secret").withRetry(retry))) {
      assertThatThrownBy(() -> wrongKey.put("k", bytes("v")))
          .isExactlyInstanceOf(StoreException.class)
          .hasMessageContaining("403")
          .hasMessageContaining("s3://" + bucket + "/x/k")
          .hasMessageContaining("credentials");
      assertThatThrownBy(() -> wrongKey.list(""))
          .isExactlyInstanceOf(StoreException.class)
          .hasMessageContaining("credentials");
    }
    S3Store missing =
        S3Locations.store("s3://no-such-bucket/x", s3.client(), s3.settings().withRetry(retry));
    assertThatThrownBy(() -> missing.put("k", bytes("v")))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageContaining("'no-such-bucket' does not exist");
    assertThatThrownBy(() -> missing.get("k"))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> missing.list(""))
        .isExactlyInstanceOf(StoreException.class)
        .hasMessageContaining("does not exist");
    assertThat(sleeper.pauses.get()).isZero();
  }

  @Test
  void aSharedClientIsNotClosedWithTheStore() {
    String bucket = s3.createBucket();
    AtomicInteger closes = new AtomicInteger();
    S3Client client = closeCounting(s3.client(), closes);
    S3Store shared = S3Locations.store("s3://" + bucket + "/o", client, s3.settings());
    shared.put("k", bytes("v"));
    shared.close();
    assertThat(closes.get()).isZero();
    S3Store owning = new S3Store(client, true, S3Location.parse("s3://" + bucket), s3.settings());
    assertThat(owning.list("")).containsExactly("o/k");
    owning.close();
    assertThat(closes.get()).isEqualTo(1);
  }

  /** {@code client} with its close() counted instead of done. */
  private static S3Client closeCounting(S3Client client, AtomicInteger closes) {
    return (S3Client)
        Proxy.newProxyInstance(
            S3Client.class.getClassLoader(),
            new Class<?>[] {S3Client.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                closes.incrementAndGet();
                return null;
              }
              try {
                return method.invoke(client, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
