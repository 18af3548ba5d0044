package io.zarrsync.cli;

import static io.zarrsync.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.aws.SqsFeed;
import io.zarrsync.aws.testing.GridDays;
import io.zarrsync.aws.testing.LocalAws;
import io.zarrsync.aws.testing.NotificationScenario;
import io.zarrsync.aws.testing.SourceBucket;
import io.zarrsync.aws.testing.StoreContent;
import io.zarrsync.core.EngineOptions;
import io.zarrsync.core.ProgressListener;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.txn.TxnKeys;
import io.zarrsync.s3.S3Locations;
import io.zarrsync.s3.testing.FaultyProxy;
import io.zarrsync.s3.testing.LocalS3;
import io.zarrsync.zarr.store.MemoryStore;
import io.zarrsync.zarr.store.Store;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code zarrsync serve --sqs-queue} as a user runs it: in its own JVM, configured through the
 * environment (AWS_ENDPOINT_URL, credentials), against S3 and SQS servers on 127.0.0.1.
 */
class ServeSqsTest {
  @RegisterExtension static final LocalAws AWS = new LocalAws();

  @TempDir Path tmp;

  private record Setup(String bucket, Path config, String store, String queue, String dlq) {}

  private Setup setup(int days, long seed) throws IOException {
    String bucket = AWS.s3().createBucket();
    SourceBucket source = new SourceBucket(AWS.s3().client(), bucket, "incoming/sst");
    Path config = tmp.resolve("sst.yaml");
    // the store in the config is overridden by --store
    Files.writeString(config, GridDays.yaml("sst", source.uri(), "unused.zarr"));
    NotificationScenario.Messages m = NotificationScenario.run(source, days, seed);
    String dlq = AWS.sqs().createQueue();
    String queue = AWS.sqs().createQueue();
    AWS.sqs().send(queue, m.delivered());
    return new Setup(bucket, config, "s3://" + bucket + "/store.zarr", queue, dlq);
  }

  /** Starts {@code zarrsync ARGS} in a new JVM reaching S3 at {@code s3Endpoint}. */
  private Process zarrsync(URI s3Endpoint, String name, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(Main.class.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put("AWS_ENDPOINT_URL", s3Endpoint.toString());
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", LocalS3.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", LocalS3.SECRET_KEY);
    env.remove("AWS_PROFILE");
    pb.redirectOutput(tmp.resolve(name + ".out").toFile());
    pb.redirectError(tmp.resolve(name + ".err").toFile());
    return pb.start();
  }

  private static String classPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }

  private String output(String name) throws IOException {
    return Files.readString(tmp.resolve(name + ".out"), StandardCharsets.UTF_8)
        + Files.readString(tmp.resolve(name + ".err"), StandardCharsets.UTF_8);
  }

  private int exit(Process p, String name) throws Exception {
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(name + " did not finish:\n" + output(name));
    }
    return p.exitValue();
  }

  private static List<String> serve(Setup s, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "-c",
                s.config().toString(),
                "--store",
                s.store(),
                "--sqs-queue",
                s.queue(),
                "--dlq",
                s.dlq(),
                "--no-initial-sync",
                "--batch-size",
                "6",
                "--window",
                "100ms"));
    args.addAll(List.of(more));
    return args;
  }

  private static MemoryStore reference(Path config) {
    CollectionConfig c = CollectionConfig.load(config);
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

  private void assertDone(Setup s) {
    StoreContent.assertSame(
        S3Locations.store(s.store(), AWS.s3().settings()), reference(s.config()));
    assertThat(AWS.sqs().count(s.queue())).as("queue drained").isZero();
    List<Message> dead = AWS.sqs().peek(s.dlq());
    assertThat(dead).extracting(Message::body).containsExactly(NotificationScenario.GARBAGE);
    assertThat(dead.get(0).messageAttributes().get(SqsFeed.REASON_ATTRIBUTE).stringValue())
        .contains("not an S3 event notification");
  }

  @Test
  void serveDrainsTheQueueIntoAStoreInTheBucket() throws Exception {
    Setup s = setup(8, 42);
    Process p =
        zarrsync(AWS.s3().endpoint(), "serve", serve(s, "--exit-when-idle", "--visibility", "30s"));
    int code = exit(p, "serve");
    String out = output("serve");
    assertThat(code).as(out).isZero();
    assertThat(out)
        .contains("serving 1 collection(s) from sqs " + s.queue())
        .contains("1 unusable SQS message(s)");
    assertDone(s);
  }

  @Test
  void aServeKilledMidRunOverAFaultyS3LosesNothing() throws Exception {
    Setup s = setup(14, 5);
    Store store = S3Locations.store(s.store(), AWS.s3().settings());
    try (FaultyProxy proxy = FaultyProxy.start(AWS.s3().endpoint(), 0.2, 17)) {
      List<String> args = serve(s, "--visibility", "2s", "--lease-ttl", "3s", "--wait", "60s");
      Process first = zarrsync(proxy.endpoint(), "first", args);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (commits(store) < 2) {
        assertThat(first.isAlive())
            .as(() -> "first serve died:\n" + uncheckedOutput("first"))
            .isTrue();
        assertThat(System.nanoTime()).as("two commits in time").isLessThan(end);
        Thread.sleep(20);
      }
      first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      assertThat(AWS.sqs().count(s.queue())).as("messages left when it died").isPositive();

      List<String> again = new ArrayList<>(args);
      again.add("--exit-when-idle");
      Process second = zarrsync(proxy.endpoint(), "second", again);
      int code = exit(second, "second");
      assertThat(code).as(output("second")).isZero();
      assertThat(
              proxy.count(FaultyProxy.Fault.SLOW_DOWN)
                  + proxy.count(FaultyProxy.Fault.DROP_BEFORE_FORWARD)
                  + proxy.count(FaultyProxy.Fault.DROP_AFTER_FORWARD))
          .isPositive();
    }
    assertDone(s);
  }

  @Test
  void serveNeedsAFeedAndS3SourcesForAQueue() throws Exception {
    Path config = tmp.resolve("local.yaml");
    Files.createDirectories(tmp.resolve("src"));
    Files.writeString(config, GridDays.yaml("local", tmp.resolve("src").toString(), "store.zarr"));
    Run r = run("serve", "-c", config.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("give a feed: --spool DIR and/or --sqs-queue URL");

    r =
        run(
            "serve",
            "-c",
            config.toString(),
            "--spool",
            tmp.resolve("spool").toString(),
            "--dlq",
            "http://127.0.0.1:1/q");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--dlq and --visibility need --sqs-queue");

    r =
        run(
            "serve",
            "-c",
            config.toString(),
            "--sqs-queue",
            "http://127.0.0.1:1/000/q",
            "--no-initial-sync",
            "--exit-when-idle");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("--sqs-queue brings S3 events, but collection 'local' reads")
        .contains("give it an s3:// source");
  }

  private String uncheckedOutput(String name) {
    try {
      return output(name);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static long commits(Store store) {
    return store.list(TxnKeys.LOG).size();
  }
}
