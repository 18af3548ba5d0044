package io.zarrsync.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.InvalidSourceFileException;
import io.zarrsync.api.ZarrsyncException;
import io.zarrsync.core.source.Fingerprint;
import io.zarrsync.core.source.OpenedObject;
import io.zarrsync.core.source.SourceObject;
import io.zarrsync.s3.testing.FaultyProxy;
import io.zarrsync.s3.testing.LocalS3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

class S3SourceTest {
  private static LocalS3 s3;
  @TempDir Path downloads;

  @BeforeAll
  static void startServer() {
    s3 = LocalS3.start();
  }

  @AfterAll
  static void stopServer() {
    s3.close();
  }

  private static void upload(String bucket, String key, byte[] content) {
    s3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private S3Source source(String uri) {
    return new S3Source(
        s3.client(), S3Location.parse(uri), s3.settings().withPageSize(2), downloads);
  }

  private List<Path> downloadsLeft() throws IOException {
    try (Stream<Path> files = Files.list(downloads)) {
      return files.toList();
    }
  }

  @Test
  void listsSortedRelativeKeysOverManyPagesWithConsistentFingerprints() {
    String bucket = s3.createBucket();
    List<String> keys =
        List.of("2024/01/b.nc", "2024/01/a.nc", "2023/z.nc", "top.nc", "x/y/z/deep.nc");
    for (int i = 0; i < keys.size(); i++) {
      upload(bucket, "src/" + keys.get(i), random(100 + i, i));
    }
    upload(bucket, "srcx/not-mine.nc", random(5, 9));
    upload(bucket, "other/not-mine.nc", random(5, 9));
    upload(bucket, "src/folder/", new byte[0]);
    S3Source source = source("s3://" + bucket + "/src/");
    assertThat(source.describe()).isEqualTo("s3://" + bucket + "/src");

    List<SourceObject> listed = source.list();
    assertThat(listed)
        .extracting(SourceObject::key)
        .containsExactly("2023/z.nc", "2024/01/a.nc", "2024/01/b.nc", "top.nc", "x/y/z/deep.nc");
    for (SourceObject o : listed) {
      Fingerprint fp = o.fingerprint();
      assertThat(fp.size()).isEqualTo(100L + keys.indexOf(o.key()));
      assertThat(fp.etag()).isNotEmpty().doesNotContain("\"");
      assertThat(fp.lastModifiedMillis() % 1000).isZero();
      assertThat(fp.lastModifiedMillis()).isPositive();
      assertThat(source.stat(o.key())).contains(o);
    }
  }

  @Test
  void statOfAMissingKeyIsEmptyAndKeysMayNotEscape() {
    String bucket = s3.createBucket();
    upload(bucket, "outside.nc", random(3, 1));
    S3Source source = source("s3://" + bucket + "/in");
    assertThat(source.stat("missing.nc")).isEmpty();
    assertThatThrownBy(() -> source.stat("../outside.nc"))
        .isInstanceOf(ZarrsyncException.class)
        .hasMessageContaining("escapes");
    assertThatThrownBy(() -> source.open("a/../../outside.nc"))
        .isInstanceOf(ZarrsyncException.class)
        .hasMessageContaining("escapes");
  }

  @Test
  void openDownloadsToATempFileThatCloseDeletes() throws IOException {
    String bucket = s3.createBucket();
    byte[] content = random(3 * 1024 * 1024 + 17, 5);
    upload(bucket, "data/day 1.nc", content);
    S3Source source = source("s3://" + bucket + "/data");
    SourceObject listed = source.list().get(0);
    Path path;
    try (OpenedObject o = source.open("day 1.nc")) {
      path = o.path();
      assertThat(path.getParent()).isEqualTo(downloads);
      assertThat(path.getFileName().toString()).endsWith(".nc");
      assertThat(Files.readAllBytes(path)).isEqualTo(content);
      assertThat(o.fingerprint()).isEqualTo(listed.fingerprint());
    }
    assertThat(path).doesNotExist();
    assertThat(downloadsLeft()).isEmpty();
  }

  @Test
  void openReportsTheVersionItDownloaded() throws IOException {
    String bucket = s3.createBucket();
    upload(bucket, "k.nc", random(10, 1));
    S3Source source = source("s3://" + bucket);
    Fingerprint before = source.stat("k.nc").orElseThrow().fingerprint();
    byte[] revised = random(20, 2);
    upload(bucket, "k.nc", revised);
    try (OpenedObject o = source.open("k.nc")) {
      assertThat(Files.readAllBytes(o.path())).isEqualTo(revised);
      assertThat(o.fingerprint()).isNotEqualTo(before);
      assertThat(o.fingerprint().size()).isEqualTo(20L);
      assertThat(o.fingerprint()).isEqualTo(source.stat("k.nc").orElseThrow().fingerprint());
    }
  }

  @Test
  void aVanishedObjectIsAnInvalidSourceFileNamingTheKey() throws IOException {
    String bucket = s3.createBucket();
    upload(bucket, "p/gone.nc", random(10, 1));
    S3Source source = source("s3://" + bucket + "/p");
    assertThat(source.list()).hasSize(1);
    s3.client().deleteObject(b -> b.bucket(bucket).key("p/gone.nc"));
    assertThatThrownBy(() -> source.open("gone.nc"))
        .isInstanceOf(InvalidSourceFileException.class)
        .hasMessageContaining("gone.nc")
        .hasMessageContaining("vanished")
        .satisfies(e -> assertThat(((InvalidSourceFileException) e).source()).isEqualTo("gone.nc"));
    assertThat(downloadsLeft()).isEmpty();
  }

  @Test
  void keysWithSpacesUnicodeAndPlusWorkAsTheyAre() throws IOException {
    String bucket = s3.createBucket();
    List<String> keys = List.of("a b.nc", "c+d.nc", "ünï/ключ 値.nc", "e%2Bf.nc");
    for (int i = 0; i < keys.size(); i++) {
      upload(bucket, "s/" + keys.get(i), random(10 + i, i));
    }
    S3Source source = source("s3://" + bucket + "/s");
    assertThat(source.list())
        .extracting(SourceObject::key)
        .containsExactlyInAnyOrderElementsOf(keys);
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      assertThat(source.stat(key)).get().extracting(o -> o.fingerprint().size()).isEqualTo(10L + i);
      try (OpenedObject o = source.open(key)) {
        assertThat(Files.readAllBytes(o.path())).isEqualTo(random(10 + i, i));
      }
    }
    assertThat(source.stat("c d.nc")).isEmpty();
  }

  @Test
  void downloadsAndListsSurviveFaults() throws IOException {
    String bucket = s3.createBucket();
    for (int i = 0; i < 12; i++) {
      upload(bucket, "f/" + i + ".nc", random(50_000 + i, i));
    }
    try (FaultyProxy proxy = FaultyProxy.start(s3.endpoint(), 0.3, 11);
        S3Source source =
            new S3Source(
                S3Clients.create(s3.settings(proxy.endpoint())),
                true,
                S3Location.parse("s3://" + bucket + "/f"),
                s3.settings()
                    .withPageSize(2)
                    .withRetry(
                        io.zarrsync.api.Retry.defaults()
                            .withAttempts(15)
                            .withBackoff(
                                java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5))),
                downloads)) {
      for (int round = 0; round < 3; round++) {
        List<SourceObject> listed = source.list();
        assertThat(listed).hasSize(12);
        for (SourceObject o : listed) {
          assertThat(source.stat(o.key())).contains(o);
          try (OpenedObject opened = source.open(o.key())) {
            int i = Integer.parseInt(o.key().replace(".nc", ""));
            assertThat(Files.readAllBytes(opened.path())).isEqualTo(random(50_000 + i, i));
            assertThat(opened.fingerprint()).isEqualTo(o.fingerprint());
          }
        }
      }
      for (FaultyProxy.Fault f : FaultyProxy.Fault.values()) {
        assertThat(proxy.count(f)).as("%s faults", f).isPositive();
      }
    }
    assertThat(downloadsLeft()).isEmpty();
  }
}
