package io.zarrsync.aws.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.api.ZarrsyncException;
import io.zarrsync.aws.testing.GridDays;
import io.zarrsync.aws.testing.LambdaPoller;
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
import io.zarrsync.events.InvalidEventException;
import io.zarrsync.s3.S3Locations;
import io.zarrsync.s3.S3Settings;
import io.zarrsync.s3.testing.FaultyProxy;
import io.zarrsync.zarr.store.MemoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;

/** The Lambda handler invoked in-process, as Lambda would, against local S3 and SQS servers. */
class ZarrsyncHandlerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final LocalAws AWS = new LocalAws();

  @TempDir Path taskRoot;

  /** Writes configs into the "deployment package" and returns settings naming them. */
  private LambdaSettings settings(S3Settings s3Settings, String... yamls) throws Exception {
    List<String> names = new ArrayList<>();
    Files.createDirectories(taskRoot.resolve("collections"));
    for (int i = 0; i < yamls.length; i++) {
      String name = "collections/c" + i + ".yaml";
      Files.writeString(taskRoot.resolve(name), yamls[i]);
      names.add(name);
    }
    return new LambdaSettings(
        names, Duration.ofSeconds(3), Duration.ofSeconds(2), taskRoot, s3Settings);
  }

  private static MemoryStore reference(String yaml) {
    CollectionConfig c = CollectionConfig.parse(yaml, null);
    MemoryStore fresh = new MemoryStore();
    try (SyncEngine e =
        SyncEngine.open(
            c,
            S3Locations.source(c.source(), AWS.s3().settings()),
            fresh,
            EngineOptions.defaults())) {
      e.sync(ProgressListener.NONE);
    }
    return fresh;
  }

  /** Opens another writer on the store with no wait: fails if the handler kept the lease. */
  private static void anotherWriterCanTakeTheLease(String yaml) {
    CollectionConfig c = CollectionConfig.parse(yaml, null);
    try (SyncEngine e =
        SyncEngine.open(
            c,
            S3Locations.source(c.source(), AWS.s3().settings()),
            S3Locations.store(c.store(), AWS.s3().settings()),
            EngineOptions.defaults().withLease(LeaseOptions.defaults().withHolder("backfill")))) {
      e.acquireLease();
    }
  }

  @Test
  void sqsBatchesOfTheScenarioGiveTheStoreOfTheLiveFiles() throws Exception {
    String bucket = AWS.s3().createBucket();
    SourceBucket source = new SourceBucket(AWS.s3().client(), bucket, "incoming/sst");
    String yaml = GridDays.yaml("sst", source.uri(), "s3://" + bucket + "/zarr/sst.zarr");
    NotificationScenario.Messages m = NotificationScenario.run(source, 8, 42);
    String dlq = AWS.sqs().createQueue();
    String q = AWS.sqs().createQueueWithRedrive(dlq, 2);
    AWS.sqs().send(q, m.delivered());
    try (ZarrsyncHandler handler = new ZarrsyncHandler(settings(AWS.s3().settings(), yaml))) {
      LambdaPoller poller = new LambdaPoller(handler, AWS.sqs().client(), q, 1);
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (AWS.sqs().count(q) > 0) {
        assertThat(System.nanoTime()).as("queue drained in time").isLessThan(end);
        poller.pollOnce();
        if (poller.invocations() == 1) {
          anotherWriterCanTakeTheLease(yaml);
        }
      }
      assertThat(poller.invocations()).isGreaterThan(2);
    }
    StoreContent.assertSame(
        S3Locations.store("s3://" + bucket + "/zarr/sst.zarr", AWS.s3().settings()),
        reference(yaml));
    // the poison message was reported failed until the queue's redrive policy moved it
    assertThat(AWS.sqs().peek(dlq))
        .extracting(Message::body)
        .containsExactly(NotificationScenario.GARBAGE);
    anotherWriterCanTakeTheLease(yaml);
  }

  @Test
  void onlyRecordsWhoseStoreFailedAndPoisonAreReportedAndTheyCommitWhenRetried() throws Exception {
    String bucket = AWS.s3().createBucket();
    String storeBucket = "failing-" + bucket;
    AWS.s3().createBucket(storeBucket);
    SourceBucket a = new SourceBucket(AWS.s3().client(), bucket, "incoming/a");
    SourceBucket b = new SourceBucket(AWS.s3().client(), bucket, "incoming/b");
    String yamlA = GridDays.yaml("a", a.uri(), "s3://" + bucket + "/zarr/a.zarr");
    String yamlB = GridDays.yaml("b", b.uri(), "s3://" + storeBucket + "/zarr/b.zarr");
    String q = AWS.sqs().createQueue();
    AWS.sqs()
        .send(
            q,
            List.of(
                a.put(GridDays.key(0), GridDays.bytes(0, 0)),
                b.put(GridDays.key(1), GridDays.bytes(1, 0)),
                S3Notifications.testEvent(bucket),
                NotificationScenario.GARBAGE));
    List<Message> messages = AWS.sqs().peek(q);
    assertThat(messages).hasSize(4);
    String idB = null;
    String idGarbage = null;
    for (Message msg : messages) {
      if (msg.body().contains("incoming/b/")) {
        idB = msg.messageId();
      } else if (msg.body().equals(NotificationScenario.GARBAGE)) {
        idGarbage = msg.messageId();
      }
    }
    try (FaultyProxy proxy =
        FaultyProxy.start(AWS.s3().endpoint(), 1.0, 3, EnumSet.of(FaultyProxy.Fault.SLOW_DOWN))) {
      proxy.setFaultFilter(line -> line.contains("/" + storeBucket + "/"));
      S3Settings viaProxy = AWS.s3().settings(proxy.endpoint());
      try (ZarrsyncHandler handler = new ZarrsyncHandler(settings(viaProxy, yamlA, yamlB))) {
        String response = LambdaPoller.invoke(handler, LambdaPoller.sqsEvent(messages, q));
        assertThat(LambdaPoller.failures(response)).containsExactlyInAnyOrder(idB, idGarbage);
        assertThat(proxy.count(FaultyProxy.Fault.SLOW_DOWN)).isPositive();
        StoreContent.assertSame(
            S3Locations.store("s3://" + bucket + "/zarr/a.zarr", AWS.s3().settings()),
            reference(yamlA));

        proxy.setFaultShare(0);
        String idOfB = idB;
        List<Message> retry = messages.stream().filter(x -> x.messageId().equals(idOfB)).toList();
        String again = LambdaPoller.invoke(handler, LambdaPoller.sqsEvent(retry, q));
        assertThat(LambdaPoller.failures(again)).isEmpty();
      }
    }
    StoreContent.assertSame(
        S3Locations.store("s3://" + storeBucket + "/zarr/b.zarr", AWS.s3().settings()),
        reference(yamlB));
  }

  @Test
  void aDirectS3InvocationCommitsOrThrowsSoThatLambdaRetries() throws Exception {
    String bucket = AWS.s3().createBucket();
    SourceBucket source = new SourceBucket(AWS.s3().client(), bucket, "incoming/sst");
    String yaml = GridDays.yaml("sst", source.uri(), "s3://" + bucket + "/zarr/sst.zarr");
    String put = source.put(GridDays.key(0), GridDays.bytes(0, 0));
    try (FaultyProxy proxy =
        FaultyProxy.start(AWS.s3().endpoint(), 0, 5, EnumSet.of(FaultyProxy.Fault.SLOW_DOWN))) {
      try (ZarrsyncHandler handler =
          new ZarrsyncHandler(settings(AWS.s3().settings(proxy.endpoint()), yaml))) {
        String response = LambdaPoller.invoke(handler, put);
        assertThat(JSON.readTree(response).get("events").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(response).get("commits").asInt()).isEqualTo(1);

        String revised = source.put(GridDays.key(0), GridDays.bytes(0, 1));
        proxy.setFaultFilter(line -> line.contains("/zarr/sst.zarr/"));
        proxy.setFaultShare(1);
        assertThatThrownBy(() -> LambdaPoller.invoke(handler, revised))
            .isInstanceOf(ZarrsyncException.class)
            .hasMessageContaining("could not be committed")
            .hasMessageContaining("Lambda retries");
        assertThatThrownBy(() -> LambdaPoller.invoke(handler, NotificationScenario.GARBAGE))
            .isInstanceOf(InvalidEventException.class);

        proxy.setFaultShare(0);
        LambdaPoller.invoke(handler, revised); // Lambda's retry
      }
    }
    StoreContent.assertSame(
        S3Locations.store("s3://" + bucket + "/zarr/sst.zarr", AWS.s3().settings()),
        reference(yaml));
  }

  @Test
  void configsComeFromTheBucketTooAndMustNameS3Locations() throws Exception {
    String bucket = AWS.s3().createBucket();
    SourceBucket source = new SourceBucket(AWS.s3().client(), bucket, "incoming/sst");
    String yaml = GridDays.yaml("sst", source.uri(), "s3://" + bucket + "/zarr/sst.zarr");
    AWS.s3()
        .client()
        .putObject(b -> b.bucket(bucket).key("config/sst.yaml"), RequestBody.fromString(yaml));
    String put = source.put(GridDays.key(2), GridDays.bytes(2, 0));
    LambdaSettings fromBucket =
        new LambdaSettings(
            List.of("s3://" + bucket + "/config/sst.yaml"),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            taskRoot,
            AWS.s3().settings());
    try (ZarrsyncHandler handler = new ZarrsyncHandler(fromBucket)) {
      LambdaPoller.invoke(handler, put);
    }
    StoreContent.assertSame(
        S3Locations.store("s3://" + bucket + "/zarr/sst.zarr", AWS.s3().settings()),
        reference(yaml));

    String local = GridDays.yaml("sst", source.uri(), "/tmp/sst.zarr");
    try (ZarrsyncHandler handler = new ZarrsyncHandler(settings(AWS.s3().settings(), local))) {
      assertThatThrownBy(() -> LambdaPoller.invoke(handler, put))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining("collections/c0.yaml")
          .hasMessageContaining("'store: s3://bucket/prefix'");
    }
    LambdaSettings missing =
        new LambdaSettings(
            List.of("s3://" + bucket + "/config/none.yaml"),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            taskRoot,
            AWS.s3().settings());
    try (ZarrsyncHandler handler = new ZarrsyncHandler(missing)) {
      assertThatThrownBy(() -> LambdaPoller.invoke(handler, put))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining("config/none.yaml");
    }
  }
}
