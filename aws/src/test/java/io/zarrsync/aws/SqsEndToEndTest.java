package io.zarrsync.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.api.Retry;
import io.zarrsync.aws.testing.GridDays;
import io.zarrsync.aws.testing.LocalAws;
import io.zarrsync.aws.testing.NotificationScenario;
import io.zarrsync.aws.testing.S3Notifications;
import io.zarrsync.aws.testing.SourceBucket;
import io.zarrsync.aws.testing.StoreContent;
import io.zarrsync.core.EngineOptions;
import io.zarrsync.core.ProgressListener;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.lease.LeaseOptions;
import io.zarrsync.core.source.Source;
import io.zarrsync.s3.S3Locations;
import io.zarrsync.s3.S3Settings;
import io.zarrsync.s3.testing.FaultyProxy;
import io.zarrsync.service.Committer;
import io.zarrsync.service.CommitterSettings;
import io.zarrsync.service.Delivery;
import io.zarrsync.service.EventFeed;
import io.zarrsync.service.RoutedEvent;
import io.zarrsync.zarr.store.FileSystemStore;
import io.zarrsync.zarr.store.MemoryStore;
import io.zarrsync.zarr.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Files uploaded to a bucket on a local S3 server, their notifications on a local SQS queue, the
 * committer with an {@link SqsFeed}: the store in the bucket ends equal to a fresh sync of the live
 * files, whatever the order and repeats of the messages, S3 faults and a consumer that dies between
 * commit and acknowledgement.
 */
class SqsEndToEndTest {
  private static final String SOURCE_PREFIX = "incoming/sst";
  private static final CommitterSettings COMMITTER =
      CommitterSettings.defaults()
          .withBatchSize(8)
          .withWindow(Duration.ofMillis(200))
          .withIdlePoll(Duration.ofMillis(500))
          .withKeepAliveEvery(Duration.ofMillis(500));

  @RegisterExtension static final LocalAws AWS = new LocalAws();

  @TempDir Path tmp;

  private static CollectionConfig config(String name, String source, String store) {
    return CollectionConfig.parse(GridDays.yaml(name, source, store), null);
  }

  private static SyncEngine engine(CollectionConfig c, Source source, Store store) {
    return SyncEngine.open(
        c,
        source,
        store,
        EngineOptions.defaults()
            .withBatchSize(4)
            .withLease(
                LeaseOptions.defaults()
                    .withHolder("SqsEndToEndTest")
                    .withTtl(Duration.ofSeconds(3))
                    .withWait(Duration.ofSeconds(20))));
  }

  private static SyncEngine s3Engine(CollectionConfig c, S3Settings settings) {
    return engine(
        c, S3Locations.source(c.source(), settings), S3Locations.store(c.store(), settings));
  }

  /** A fresh sync of the bucket's live files into memory. */
  private static MemoryStore reference(CollectionConfig c) {
    MemoryStore fresh = new MemoryStore();
    try (SyncEngine e = engine(c, S3Locations.source(c.source(), AWS.s3().settings()), fresh)) {
      e.sync(ProgressListener.NONE);
    }
    return fresh;
  }

  private static SqsFeed feed(String queue, String dlq, Duration visibility, S3Routes routes) {
    return new SqsFeed(
        AWS.sqs().client(),
        SqsFeedSettings.of(queue)
            .withDeadLetterQueue(dlq)
            .withVisibility(visibility)
            .withRetry(Retry.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(100))),
        routes);
  }

  private static void drain(Committer c, String queue, Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (AWS.sqs().count(queue) > 0) {
      assertThat(System.nanoTime()).as("queue drained in time").isLessThan(end);
      c.runOnce();
    }
  }

  @Test
  void theStoreInTheBucketEqualsTheLiveFilesAfterShuffledRepeatedMessages() throws Exception {
    String bucket = AWS.s3().createBucket();
    SourceBucket source = new SourceBucket(AWS.s3().client(), bucket, SOURCE_PREFIX);
    CollectionConfig c = config("sst", source.uri(), "s3://" + bucket + "/zarr/sst.zarr");
    NotificationScenario.Messages m = NotificationScenario.run(source, 8, 42);
    String q = AWS.sqs().createQueue();
    String dlq = AWS.sqs().createQueue();
    AWS.sqs().send(q, m.delivered());
    try (SyncEngine e = s3Engine(c, AWS.s3().settings());
        SqsFeed feed =
            feed(q, dlq, Duration.ofSeconds(30), S3Routes.of(Map.of(c.name(), c.source())))) {
      e.acquireLease();
      Committer committer = new Committer(List.of(e), List.of(feed), COMMITTER, Clock.systemUTC());
      drain(committer, q, Duration.ofSeconds(30));
      committer.shutdown();
      assertThat(committer.stats().commits()).isGreaterThan(1);
      assertThat(committer.stats().acked()).isEqualTo(m.delivered().size() - 1);
    }
    StoreContent.assertSame(S3Locations.store(c.store(), AWS.s3().settings()), reference(c));
    List<Message> dead = AWS.sqs().peek(dlq);
    assertThat(dead).extracting(Message::body).containsExactly(NotificationScenario.GARBAGE);
    assertThat(dead.get(0).messageAttributes().get(SqsFeed.REASON_ATTRIBUTE).stringValue())
        .contains("not an S3 event notification");
    assertThat(AWS.sqs().count(q)).isZero();
  }

  @Test
  void keysWithSpacesUnicodeAndPlusArriveDecodedAndTraversalNeverEscapesAStore() throws Exception {
    String bucket = AWS.s3().createBucket();
    SourceBucket source = new SourceBucket(AWS.s3().client(), bucket, SOURCE_PREFIX);
    String[] keys = {
      "day one/2022 01 01.nc", "température été/2022-01-02.nc", "a+b/c+d 100%.nc", "ünï/ß+€ x.nc"
    };
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      messages.add(source.put(keys[i], GridDays.bytes(i, 0)));
    }
    assertThat(String.join("", messages))
        .contains(
            "day+one/2022+01+01.nc", "a%2Bb/c%2Bd+100%25.nc", "temp%C3%A9rature+%C3%A9t%C3%A9");
    // A file outside the source that a '../' key would reach, and messages naming it that way.
    new SourceBucket(AWS.s3().client(), bucket, "incoming/other")
        .put("x.nc", GridDays.bytes(20, 0));
    Instant now = Instant.now();
    messages.add(S3Notifications.createdRawKey(bucket, "incoming/sst/../other/x.nc", "01", now));
    messages.add(
        S3Notifications.createdRawKey(bucket, "incoming/sst/..%2Fother%2Fx.nc", "02", now));
    messages.add(
        S3Notifications.createdRawKey(bucket, "incoming/sst/%2E%2E/other/x.nc", "03", now));

    CollectionConfig onS3 = config("sst", source.uri(), "s3://" + bucket + "/zarr/sst.zarr");
    Path localStore = tmp.resolve("stores/sst.zarr");
    CollectionConfig local = config("sst-local", source.uri(), localStore.toString());
    String q = AWS.sqs().createQueue();
    String dlq = AWS.sqs().createQueue();
    AWS.sqs().send(q, messages);
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put(onS3.name(), onS3.source());
    sources.put(local.name(), local.source());
    try (SyncEngine e1 = s3Engine(onS3, AWS.s3().settings());
        SyncEngine e2 =
            engine(
                local,
                S3Locations.source(local.source(), AWS.s3().settings()),
                new FileSystemStore(localStore));
        SqsFeed feed = feed(q, dlq, Duration.ofSeconds(30), S3Routes.of(sources))) {
      Committer committer =
          new Committer(List.of(e1, e2), List.of(feed), COMMITTER, Clock.systemUTC());
      drain(committer, q, Duration.ofSeconds(30));
      committer.shutdown();
      assertThat(committer.stats().rejected()).isZero();
      assertThat(e1.status().liveFiles()).isEqualTo(keys.length);
      assertThat(e1.status().quarantined()).isZero();
    }
    StoreContent.assertSame(S3Locations.store(onS3.store(), AWS.s3().settings()), reference(onS3));
    StoreContent.assertSame(new FileSystemStore(localStore), reference(local));
    // nothing written outside the stores: the bucket holds the uploads and the store's objects
    for (S3Object o : AWS.s3().client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
      assertThat(o.key()).matches("incoming/(sst|other)/.*|zarr/sst\\.zarr/.*");
    }
    try (Stream<Path> all = Files.walk(tmp)) {
      assertThat(all.filter(Files::isRegularFile))
          .allMatch(p -> p.startsWith(localStore), "under the local store");
    }
    assertThat(AWS.sqs().count(dlq)).isZero();
  }

  @Test
  void s3FaultsAndAConsumerKilledBetweenCommitAndAckLoseNothing() throws Exception {
    String bucket = AWS.s3().createBucket();
    SourceBucket source = new SourceBucket(AWS.s3().client(), bucket, SOURCE_PREFIX);
    CollectionConfig c = config("sst", source.uri(), "s3://" + bucket + "/zarr/sst.zarr");
    NotificationScenario.Messages m = NotificationScenario.run(source, 8, 7);
    String q = AWS.sqs().createQueue();
    String dlq = AWS.sqs().createQueue();
    AWS.sqs().send(q, m.delivered());
    S3Routes routes = S3Routes.of(Map.of(c.name(), c.source()));
    Duration visibility = Duration.ofSeconds(2);
    try (FaultyProxy proxy = FaultyProxy.start(AWS.s3().endpoint(), 0.2, 11)) {
      S3Settings faulty = AWS.s3().settings(proxy.endpoint());
      // The first consumer dies right after the commit of its second batch, before any ack.
      int acked = 0;
      SyncEngine first = s3Engine(c, faulty);
      DyingFeed dying = new DyingFeed(feed(q, dlq, visibility, routes), 2);
      Committer c1 = new Committer(List.of(first), List.of(dying), COMMITTER, Clock.systemUTC());
      try {
        while (true) {
          c1.runOnce();
        }
      } catch (ConsumerKilled killed) {
        acked = (int) c1.stats().acked();
      } finally {
        c1.shutdown();
        first.close(); // a dead process's lease would expire; the ttl here is 3 s either way
      }
      assertThat(dying.handedOut()).as("deliveries left unacknowledged").isGreaterThan(acked);
      long inFlight = AWS.sqs().count(q);
      assertThat(inFlight).isPositive();

      try (SyncEngine second = s3Engine(c, faulty);
          SqsFeed feed = feed(q, dlq, visibility, routes)) {
        Committer c2 = new Committer(List.of(second), List.of(feed), COMMITTER, Clock.systemUTC());
        long t0 = System.nanoTime();
        drain(c2, q, Duration.ofSeconds(40));
        c2.shutdown();
        assertThat(feed.received()).isGreaterThanOrEqualTo(inFlight);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))
            .as("the unacknowledged messages came back after the visibility timeout")
            .isGreaterThanOrEqualTo(1000L);
      }
      assertThat(
              proxy.count(FaultyProxy.Fault.SLOW_DOWN)
                  + proxy.count(FaultyProxy.Fault.DROP_BEFORE_FORWARD)
                  + proxy.count(FaultyProxy.Fault.DROP_AFTER_FORWARD))
          .as("faults injected")
          .isGreaterThan(10);
    }
    StoreContent.assertSame(S3Locations.store(c.store(), AWS.s3().settings()), reference(c));
    assertThat(AWS.sqs().peek(dlq))
        .extracting(Message::body)
        .contains(NotificationScenario.GARBAGE);
  }

  /**
   * The consumer's death between a commit and its acknowledgements: an Error, which the committer
   * does not catch (it survives a feed's failing ack, a RuntimeException).
   */
  private static final class ConsumerKilled extends Error {
    private static final long serialVersionUID = 1L;

    ConsumerKilled() {
      super("consumer killed");
    }
  }

  /** A feed whose deliveries "kill the consumer" at the first ack of batch {@code dieAt}. */
  private static final class DyingFeed implements EventFeed {
    private final EventFeed inner;
    private final int dieAt;
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicInteger handedOut = new AtomicInteger();

    DyingFeed(EventFeed inner, int dieAt) {
      this.inner = inner;
      this.dieAt = dieAt;
    }

    int handedOut() {
      return handedOut.get();
    }

    @Override
    public List<Delivery> poll(int max, Duration timeout) throws InterruptedException {
      List<Delivery> got = inner.poll(max, timeout);
      if (got.isEmpty()) {
        return got;
      }
      boolean die = polls.incrementAndGet() >= dieAt;
      handedOut.addAndGet(got.size());
      List<Delivery> out = new ArrayList<>();
      for (Delivery d : got) {
        out.add(
            new Delivery() {
              @Override
              public List<RoutedEvent> events() {
                return d.events();
              }

              @Override
              public String describe() {
                return d.describe();
              }

              @Override
              public void ack() {
                if (die) {
                  throw new ConsumerKilled();
                }
                d.ack();
              }

              @Override
              public void reject(String reason) {
                d.reject(reason);
              }

              @Override
              public void release() {
                d.release();
              }

              @Override
              public void keepAlive() {
                d.keepAlive();
              }
            });
      }
      return out;
    }

    @Override
    public String describe() {
      return inner.describe();
    }
  }
}
