package io.zarrsync.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.api.Retry;
import io.zarrsync.aws.testing.LocalSqs;
import io.zarrsync.aws.testing.NotificationScenario;
import io.zarrsync.aws.testing.S3Notifications;
import io.zarrsync.core.SourceEvent;
import io.zarrsync.service.Delivery;
import io.zarrsync.service.RoutedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The SQS feed against ElasticMQ: what each Delivery operation does to the queue. */
class SqsFeedTest {
  private static final Instant T = Instant.parse("2024-03-05T10:15:30.123Z");
  private static final S3Routes ROUTES = S3Routes.of(Map.of("sst", "s3://data/in"));

  private static LocalSqs sqs;

  @BeforeAll
  static void start() {
    sqs = LocalSqs.start();
  }

  @AfterAll
  static void stop() {
    sqs.close();
  }

  private static String created(String key, int n) {
    return S3Notifications.created("data", key, 5, "etag", S3Notifications.sequencer(n), T);
  }

  private static SqsFeed feed(String queue, String dlq, Duration visibility) {
    return new SqsFeed(
        sqs.client(),
        SqsFeedSettings.of(queue)
            .withDeadLetterQueue(dlq)
            .withVisibility(visibility)
            .withRetry(Retry.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(50))),
        ROUTES);
  }

  private static List<String> keys(List<Delivery> ds) {
    List<String> out = new ArrayList<>();
    for (Delivery d : ds) {
      for (RoutedEvent e : d.events()) {
        out.add(e.collection() + ":" + e.event().key());
      }
    }
    return out;
  }

  @Test
  void oneDeliveryPerMessageWithItsRoutedEventsAndAckDeletesIt() throws Exception {
    String q = sqs.createQueue();
    sqs.send(q, List.of(created("in/a.nc", 1), created("in/b b.nc", 2)));
    sqs.send(q, List.of(S3Notifications.snsWrapped(created("in/c.nc", 3))));
    SqsFeed feed = feed(q, null, Duration.ofSeconds(30));
    List<Delivery> got = feed.poll(10, Duration.ofSeconds(2));
    assertThat(got).hasSize(3);
    assertThat(keys(got)).containsExactlyInAnyOrder("sst:a.nc", "sst:b b.nc", "sst:c.nc");
    assertThat(got.get(0).events().get(0).event().kind()).isEqualTo(SourceEvent.Kind.CREATED);
    assertThat(got.get(0).describe()).startsWith("SQS message ");
    assertThat(feed.backlog()).isEqualTo(3); // in flight until deleted
    got.forEach(Delivery::ack);
    assertThat(sqs.count(q)).isZero();
    assertThat(feed.backlog()).isZero();
  }

  @Test
  void aPollTakesSeveralReceivesButNeverMoreThanMax() throws Exception {
    String q = sqs.createQueue();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      bodies.add(created("in/" + i + ".nc", i));
    }
    sqs.send(q, bodies);
    SqsFeed feed = feed(q, null, Duration.ofSeconds(30));
    List<Delivery> first = feed.poll(23, Duration.ofSeconds(1));
    assertThat(first).hasSize(23);
    List<Delivery> rest = feed.poll(23, Duration.ofSeconds(1));
    assertThat(rest).hasSize(2);
    assertThat(feed.received()).isEqualTo(25);
  }

  @Test
  void releaseBringsAMessageBackAtOnceAndAnUnackedOneComesBackAfterTheVisibilityTimeout()
      throws Exception {
    String q = sqs.createQueue();
    sqs.send(q, List.of(created("in/a.nc", 1)));
    SqsFeed feed = feed(q, null, Duration.ofSeconds(2));
    List<Delivery> got = feed.poll(10, Duration.ofSeconds(2));
    assertThat(got).hasSize(1);
    assertThat(feed.poll(10, Duration.ZERO)).isEmpty();
    got.get(0).release();
    List<Delivery> again = feed.poll(10, Duration.ofSeconds(1));
    assertThat(keys(again)).containsExactly("sst:a.nc");
    // neither acked nor released (the consumer died): back after the 2 s visibility timeout
    long t0 = System.nanoTime();
    List<Delivery> third = feed.poll(10, Duration.ofSeconds(10));
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(keys(third)).containsExactly("sst:a.nc");
    assertThat(waited).isBetween(1000L, 8000L);
    third.get(0).ack();
    assertThat(sqs.count(q)).isZero();
  }

  @Test
  void keepAliveHoldsAMessageWhileItsBatchIsApplied() throws Exception {
    String q = sqs.createQueue();
    sqs.send(q, List.of(created("in/a.nc", 1)));
    SqsFeed feed = feed(q, null, Duration.ofSeconds(2));
    Delivery d = feed.poll(10, Duration.ofSeconds(2)).get(0);
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3500);
    while (System.nanoTime() < end) {
      d.keepAlive();
      assertThat(feed.poll(10, Duration.ofMillis(700))).as("hidden while kept alive").isEmpty();
    }
    assertThat(keys(feed.poll(10, Duration.ofSeconds(6)))).containsExactly("sst:a.nc");
  }

  @Test
  void poisonGoesToTheDeadLetterQueueWithItsReasonAndLeavesTheQueue() throws Exception {
    String q = sqs.createQueue();
    String dlq = sqs.createQueue();
    sqs.send(q, List.of(NotificationScenario.GARBAGE, created("in/a.nc", 1), "not json at all"));
    SqsFeed feed = feed(q, dlq, Duration.ofSeconds(30));
    List<Delivery> got = feed.poll(10, Duration.ofSeconds(2));
    assertThat(keys(got)).containsExactly("sst:a.nc");
    assertThat(feed.poisoned()).isEqualTo(2);
    List<Message> dead = sqs.peek(dlq);
    assertThat(dead)
        .extracting(Message::body)
        .containsExactlyInAnyOrder(NotificationScenario.GARBAGE, "not json at all");
    for (Message m : dead) {
      assertThat(m.messageAttributes().get(SqsFeed.REASON_ATTRIBUTE).stringValue())
          .startsWith("Unusable event message");
      assertThat(m.messageAttributes().get(SqsFeed.QUEUE_ATTRIBUTE).stringValue()).isEqualTo(q);
    }
    got.get(0).ack();
    assertThat(sqs.count(q)).isZero();
  }

  @Test
  void aRejectedDeliveryIsDeadLetteredWithTheCommittersReason() throws Exception {
    String q = sqs.createQueue();
    String dlq = sqs.createQueue();
    String body = created("in/a.nc", 1);
    sqs.send(q, List.of(body));
    SqsFeed feed = feed(q, dlq, Duration.ofSeconds(30));
    feed.poll(10, Duration.ofSeconds(2)).get(0).reject("key escapes the source root");
    assertThat(sqs.count(q)).isZero();
    Message m = sqs.peek(dlq).get(0);
    assertThat(m.body()).isEqualTo(body);
    assertThat(m.messageAttributes().get(SqsFeed.REASON_ATTRIBUTE).stringValue())
        .isEqualTo("key escapes the source root");
  }

  @Test
  void withoutADeadLetterQueuePoisonStaysForTheQueuesRedrivePolicy() throws Exception {
    String redriveTarget = sqs.createQueue();
    String q = sqs.createQueueWithRedrive(redriveTarget, 2);
    sqs.send(q, List.of(NotificationScenario.GARBAGE));
    SqsFeed feed = feed(q, null, Duration.ofSeconds(1));
    assertThat(feed.poll(10, Duration.ZERO)).isEmpty();
    assertThat(feed.poisoned()).isEqualTo(1);
    assertThat(sqs.count(q)).as("left on the queue, not deleted").isEqualTo(1);
    // received again after the visibility timeout, then moved by the redrive policy
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (sqs.count(redriveTarget) == 0 && System.nanoTime() < end) {
      assertThat(feed.poll(10, Duration.ofSeconds(1))).isEmpty();
    }
    assertThat(feed.poisoned()).isEqualTo(2);
    List<Message> moved = sqs.peek(redriveTarget);
    assertThat(moved).extracting(Message::body).containsExactly(NotificationScenario.GARBAGE);
    assertThat(
            Integer.parseInt(
                moved
                    .get(0)
                    .attributes()
                    .get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)))
        .as("received by the feed twice (and once more by the check)")
        .isGreaterThanOrEqualTo(2);
    assertThat(sqs.count(q)).isZero();
  }

  @Test
  void testEventsAndObjectsOutsideEverySourceAreDeliveriesWithoutEvents() throws Exception {
    String q = sqs.createQueue();
    sqs.send(
        q,
        List.of(
            S3Notifications.testEvent("data"),
            created("elsewhere/a.nc", 1),
            S3Notifications.created("other-bucket", "in/a.nc", 5, "e", "01", T)));
    SqsFeed feed = feed(q, null, Duration.ofSeconds(30));
    List<Delivery> got = feed.poll(10, Duration.ofSeconds(2));
    assertThat(got).hasSize(3).allMatch(d -> d.events().isEmpty());
    got.forEach(Delivery::ack);
    assertThat(sqs.count(q)).isZero();
  }

  @Test
  void aLongPollEndsWithTheTimeoutOrAsSoonAsAMessageArrives() throws Exception {
    String q = sqs.createQueue();
    SqsFeed feed = feed(q, null, Duration.ofSeconds(30));
    long t0 = System.nanoTime();
    assertThat(feed.poll(10, Duration.ofMillis(1500))).isEmpty();
    long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(idle).isBetween(1400L, 4000L);

    CompletableFuture<List<Delivery>> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return feed.poll(10, Duration.ofSeconds(15));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(500);
    long t1 = System.nanoTime();
    sqs.send(q, List.of(created("in/late.nc", 1)));
    List<Delivery> got = waiting.get(15, TimeUnit.SECONDS);
    assertThat(keys(got)).containsExactly("sst:late.nc");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1)).isLessThan(5000L);
  }
}
