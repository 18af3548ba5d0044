package io.zarrsync.bench;

import io.zarrsync.aws.S3Routes;
import io.zarrsync.aws.SqsFeed;
import io.zarrsync.aws.SqsFeedSettings;
import io.zarrsync.aws.lambda.LambdaSettings;
import io.zarrsync.aws.lambda.ZarrsyncHandler;
import io.zarrsync.aws.testing.GridDays;
import io.zarrsync.aws.testing.LambdaPoller;
import io.zarrsync.aws.testing.LocalSqs;
import io.zarrsync.aws.testing.SourceBucket;
import io.zarrsync.aws.testing.StoreContent;
import io.zarrsync.core.EngineOptions;
import io.zarrsync.core.ProgressListener;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.lease.LeaseOptions;
import io.zarrsync.s3.S3Clients;
import io.zarrsync.s3.S3Locations;
import io.zarrsync.s3.testing.LocalS3;
import io.zarrsync.service.Committer;
import io.zarrsync.service.CommitterSettings;
import io.zarrsync.zarr.store.MemoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Events per second from an SQS queue to a committed Zarr store in S3 (issue 7, acceptance item 4),
 * against an S3 server (s3proxy, in memory) and an SQS server (ElasticMQ) started in this JVM on
 * 127.0.0.1: N small grid days are uploaded, their N ObjectCreated notifications queued, then the
 * clock runs until every message is committed and deleted, for
 *
 * <ul>
 *   <li>{@code zarrsync serve --sqs-queue}: the committer with an {@link SqsFeed}, serve's defaults
 *       (batches of 500 events gathered for up to 2 s) and its engine set-up (one worker per core);
 *   <li>the Lambda handler, invoked in this JVM by a poller that does what Lambda's event source
 *       mapping does with BatchSize 100 (receive, invoke, delete what did not fail).
 * </ul>
 *
 * Each path runs twice, taking turns (JIT and server warm-up favour whichever runs later); every
 * store is compared with a fresh sync of the bucket, so a broken path fails the benchmark instead
 * of producing a fast number. Usage: {@code QueueBenchmark [--quick] [FILES]}, through {@code
 * bench/queue-benchmark.sh}; {@code -Dbench.lambda.batch=N} changes the Lambda batch size.
 */
public final class QueueBenchmark {
  private QueueBenchmark() {}

  private record Row(String path, int messages, long commits, long batches, double seconds) {}

  /** Files uploaded under a prefix, their notifications and a fresh sync of them. */
  private record Round(String bucket, String source, List<String> messages, MemoryStore reference) {
    String yaml(String storeName) {
      return GridDays.yaml("sst", source, "s3://" + bucket + "/zarr/" + storeName + ".zarr");
    }
  }

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    int files = quick ? 200 : 1000;
    for (String a : args) {
      if (!a.startsWith("--")) {
        files = Integer.parseInt(a);
      }
    }
    int lambdaBatch = Integer.getInteger("bench.lambda.batch", 100);
    System.out.printf(
        Locale.ROOT,
        "queue benchmark: %d files, %d cores, load average %s%n",
        files,
        Runtime.getRuntime().availableProcessors(),
        Files.readString(Path.of("/proc/loadavg")).trim());
    List<Row> serve = new ArrayList<>();
    List<Row> lambda = new ArrayList<>();
    try (LocalS3 s3 = LocalS3.start();
        LocalSqs sqs = LocalSqs.start()) {
      Round round = round(s3, s3.createBucket(), "incoming/sst", files);
      // Two rounds, the paths taking turns: whichever runs first in the JVM pays for JIT and
      // server warm-up (up to half again its time), so the best of each is reported.
      for (int i = 1; i <= 2; i++) {
        serve.add(serve(s3, sqs, round, "serve-" + i));
        lambda.add(lambda(s3, sqs, round, "lambda-" + i, lambdaBatch));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%nload average at the end: %s%n%n",
        Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.println("| path | events | commits | run 1 | run 2 | events/s (best) |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    print(serve);
    print(lambda);
  }

  private static void print(List<Row> runs) {
    Row a = runs.get(0);
    Row b = runs.get(1);
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %d | %.1f s | %.1f s | **%.0f** |%n",
        a.path(),
        a.messages(),
        a.commits(),
        a.seconds(),
        b.seconds(),
        a.messages() / Math.min(a.seconds(), b.seconds()));
  }

  private static Round round(LocalS3 s3, String bucket, String prefix, int files) {
    SourceBucket source = new SourceBucket(s3.client(), bucket, prefix);
    long t0 = System.nanoTime();
    List<String> messages = new ArrayList<>();
    for (int d = 0; d < files; d++) {
      messages.add(source.put(GridDays.key(d), GridDays.bytes(d, 0)));
    }
    System.out.printf(
        Locale.ROOT,
        "uploaded %d files (%d bytes each) to %s in %.1f s%n",
        files,
        GridDays.bytes(0, 0).length,
        source.uri(),
        seconds(t0));
    CollectionConfig c = CollectionConfig.parse(GridDays.yaml("sst", source.uri(), "unused"), null);
    MemoryStore fresh = new MemoryStore();
    try (SyncEngine e =
        SyncEngine.open(
            c, S3Locations.source(c.source(), s3.settings()), fresh, EngineOptions.defaults())) {
      e.sync(ProgressListener.NONE);
    }
    return new Round(bucket, source.uri(), List.copyOf(messages), fresh);
  }

  private static Row serve(LocalS3 s3, LocalSqs sqs, Round round, String name) throws Exception {
    CollectionConfig c = CollectionConfig.parse(round.yaml(name), null);
    String queue = sqs.createQueue();
    send(sqs, queue, round.messages());
    // as `zarrsync serve` runs the engine: a pool of one worker per core, batches of 500 files
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long t0;
    Committer committer;
    // and one S3 client for the source and the store, as the command line does
    try (S3Client client = S3Clients.create(s3.settings());
        SyncEngine engine =
            SyncEngine.open(
                c,
                S3Locations.source(c.source(), client, s3.settings()),
                S3Locations.store(c.store(), client, s3.settings()),
                EngineOptions.defaults()
                    .withExecutor(pool, threads)
                    .withLease(LeaseOptions.defaults().withHolder("zarrsync serve (bench)")));
        SqsFeed feed =
            new SqsFeed(
                sqs.client(),
                SqsFeedSettings.of(queue),
                S3Routes.of(Map.of(c.name(), c.source())))) {
      engine.acquireLease();
      committer =
          new Committer(
              List.of(engine), List.of(feed), CommitterSettings.defaults(), Clock.systemUTC());
      t0 = System.nanoTime();
      while (sqs.count(queue) > 0) {
        committer.runOnce();
      }
      committer.shutdown();
    } finally {
      pool.shutdownNow();
    }
    double s = seconds(t0);
    check(name, s3, c, round.reference());
    return new Row(
        "`serve --sqs-queue` (committer + SqsFeed: batches of up to 500 events, 2 s window)",
        round.messages().size(),
        committer.stats().commits(),
        committer.stats().batches(),
        s);
  }

  private static Row lambda(LocalS3 s3, LocalSqs sqs, Round round, String name, int batch)
      throws Exception {
    String yaml = round.yaml(name);
    CollectionConfig c = CollectionConfig.parse(yaml, null);
    Path task = Files.createTempDirectory("zarrsync-queue-bench");
    Files.writeString(task.resolve("sst.yaml"), yaml);
    String queue = sqs.createQueue();
    send(sqs, queue, round.messages());
    long t0;
    int invocations;
    try (ZarrsyncHandler handler =
        new ZarrsyncHandler(
            new LambdaSettings(
                List.of("sst.yaml"),
                LambdaSettings.DEFAULT_LEASE_WAIT,
                LambdaSettings.DEFAULT_LEASE_TTL,
                task,
                s3.settings()))) {
      LambdaPoller poller = new LambdaPoller(handler, sqs.client(), queue, 300, batch);
      t0 = System.nanoTime();
      while (sqs.count(queue) > 0) {
        poller.pollOnce();
      }
      invocations = poller.invocations();
    } finally {
      Files.deleteIfExists(task.resolve("sst.yaml"));
      Files.deleteIfExists(task);
    }
    double s = seconds(t0);
    check(name, s3, c, round.reference());
    return new Row(
        "Lambda handler in-process (batches of up to "
            + batch
            + " messages, one invocation each; the poller's receives and deletes included)",
        round.messages().size(),
        invocations,
        invocations,
        s);
  }

  private static void send(LocalSqs sqs, String queue, List<String> messages) {
    for (int i = 0; i < messages.size(); i += 10) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int j = i; j < Math.min(messages.size(), i + 10); j++) {
        entries.add(
            SendMessageBatchRequestEntry.builder()
                .id(Integer.toString(j))
                .messageBody(messages.get(j))
                .build());
      }
      sqs.client().sendMessageBatch(b -> b.queueUrl(queue).entries(entries));
    }
  }

  private static void check(String what, LocalS3 s3, CollectionConfig c, MemoryStore reference) {
    try {
      StoreContent.assertSame(S3Locations.store(c.store(), s3.settings()), reference);
    } catch (AssertionError e) {
      System.err.println(what + ": the store differs from a fresh sync: " + e.getMessage());
      System.exit(1);
    }
    System.out.println(what + ": store checked, equal to a fresh sync of the bucket");
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
