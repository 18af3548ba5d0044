package io.zarrsync.aws.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.aws.testing.GridDays;
import io.zarrsync.aws.testing.SourceBucket;
import io.zarrsync.aws.testing.StoreContent;
import io.zarrsync.core.EngineOptions;
import io.zarrsync.core.ProgressListener;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.s3.S3Locations;
import io.zarrsync.s3.testing.LocalS3;
import io.zarrsync.zarr.store.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployable jar (target/zarrsync-lambda.jar) on its own, as Lambda runs it: only the jar on
 * the class path, the handler made by its no-argument constructor, everything configured through
 * the environment, the collection config inside the task root.
 */
class LambdaJarIT {
  @TempDir Path tmp;

  @Test
  void thePackagedHandlerCommitsAnS3EventConfiguredFromTheEnvironment() throws Exception {
    Path jar = Path.of("target", "zarrsync-lambda.jar").toAbsolutePath();
    assertThat(jar).exists();
    try (LocalS3 s3 = LocalS3.start()) {
      String bucket = s3.createBucket();
      SourceBucket source = new SourceBucket(s3.client(), bucket, "incoming/sst");
      String yaml = GridDays.yaml("sst", source.uri(), "s3://" + bucket + "/zarr/sst.zarr");
      Files.createDirectories(tmp.resolve("task/collections"));
      Files.writeString(tmp.resolve("task/collections/sst.yaml"), yaml);
      String event = source.put(GridDays.key(3), GridDays.bytes(3, 0));
      Files.writeString(tmp.resolve("event.json"), event);
      Path launcher = tmp.resolve("Launcher.java");
      Files.writeString(
          launcher,
          String.join(
              "\n",
              "import java.io.*;",
              "public class Launcher {",
              "  public static void main(String[] a) throws Exception {",
              "    try (InputStream in = new FileInputStream(a[0]);",
              "        OutputStream out = new FileOutputStream(a[1])) {",
              "      new io.zarrsync.aws.lambda.ZarrsyncHandler().handleRequest(in, out, null);",
              "    }",
              "  }",
              "}",
              ""));
      ProcessBuilder pb =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              jar.toString(),
              launcher.toString(),
              tmp.resolve("event.json").toString(),
              tmp.resolve("response.json").toString());
      Map<String, String> env = pb.environment();
      env.put("ZARRSYNC_CONFIG", "collections/sst.yaml");
      env.put("LAMBDA_TASK_ROOT", tmp.resolve("task").toString());
      env.put("AWS_LAMBDA_FUNCTION_NAME", "zarrsync-it");
      env.put("AWS_ENDPOINT_URL", s3.endpoint().toString());
      env.put("AWS_REGION", "us-east-1");
      env.put("AWS_ACCESS_KEY_ID", LocalS3.ACCESS_KEY);
      env.put("AWS_SECRET_ACCESS_KEY", LocalS3.SECRET_KEY);
      env.remove("AWS_PROFILE");
      pb.redirectErrorStream(true);
      pb.redirectOutput(tmp.resolve("log.txt").toFile());
      Process p = pb.start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(tmp.resolve("log.txt"), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(log).isZero();
      JsonNode response = new ObjectMapper().readTree(tmp.resolve("response.json").toFile());
      assertThat(response.get("events").asInt()).isEqualTo(1);
      assertThat(response.get("commits").asInt()).isEqualTo(1);
      // its own logging configuration: INFO lines for zarrsync, nothing from the SDK below WARN
      assertThat(log).contains("INFO  ZarrsyncHandler - invocation").doesNotContain("DEBUG");

      CollectionConfig c = CollectionConfig.parse(yaml, null);
      MemoryStore fresh = new MemoryStore();
      try (SyncEngine e =
          SyncEngine.open(
              c, S3Locations.source(c.source(), s3.settings()), fresh, EngineOptions.defaults())) {
        e.sync(ProgressListener.NONE);
      }
      StoreContent.assertSame(S3Locations.store(c.store(), s3.settings()), fresh);
      assertThat(List.of(fresh.list(""))).isNotEmpty();
    }
  }
}
