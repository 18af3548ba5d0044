package io.zarrsync.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.core.SourceEvent;
import io.zarrsync.core.SourceEvent.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool directory as producers and the committer meet it. */
class SpoolTest {
  @TempDir Path dir;

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void readsJsonAndLineFilesInNameOrderIncludingKeysWithSpaces() throws Exception {
    Spool spool = new Spool(dir);
    file(
        "0002.txt",
        String.join(
            "\n",
            "# written from a shell",
            "",
            "created sst/my file 1.nc",
            "REMOVED   old dir/old file.nc  ",
            "sync",
            ""));
    file(
        "0001.json",
        "{\"events\": [{\"kind\": \"created\", \"key\": \"sst/a b.nc\", \"collection\": \"sst\"},"
            + " {\"kind\": \"removed\", \"key\": \"x.nc\"}]}");
    file("0003.json", "  {\"resync\": true}\n");

    List<Delivery> got = spool.poll(10, Duration.ZERO);

    assertThat(got).hasSize(3);
    assertThat(got.get(0).describe()).endsWith("0001.json");
    assertThat(got.get(0).events())
        .containsExactly(
            new RoutedEvent("sst", SourceEvent.created("sst/a b.nc")),
            new RoutedEvent(null, SourceEvent.removed("x.nc")));
    assertThat(got.get(0).resync()).isFalse();
    assertThat(got.get(1).events())
        .containsExactly(
            RoutedEvent.of(SourceEvent.created("sst/my file 1.nc")),
            RoutedEvent.of(SourceEvent.removed("old dir/old file.nc")));
    assertThat(got.get(1).resync()).isTrue();
    assertThat(got.get(2).events()).isEmpty();
    assertThat(got.get(2).resync()).isTrue();
  }

  @Test
  void writeDropsWholeFilesNamedInWriteOrder() throws Exception {
    List<String> keys = new ArrayList<>();
    List<Path> written = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String k = "sst/day " + i + ".nc";
      keys.add(k);
      written.add(
          Spool.write(dir, List.of(new RoutedEvent(i % 2 == 0 ? "sst" : null, created(k)))));
    }
    Path resync = Spool.writeResync(dir);

    assertThat(written).allSatisfy(p -> assertThat(p.getParent()).isEqualTo(dir));
    assertThat(written.stream().map(p -> p.getFileName().toString()))
        .allMatch(n -> n.matches("\\d{13}-\\d{6}-[0-9a-f]{8}\\.json"));
    List<String> inWriteOrder = new ArrayList<>();
    written.forEach(p -> inWriteOrder.add(p.getFileName().toString()));
    inWriteOrder.add(resync.getFileName().toString());
    // the files sort in the order they were written, and no temporary file is left behind
    assertThat(names(dir)).containsExactlyElementsOf(inWriteOrder);

    Spool spool = new Spool(dir);
    List<Delivery> got = spool.poll(100, Duration.ZERO);
    assertThat(got).hasSize(31);
    for (int i = 0; i < 30; i++) {
      assertThat(got.get(i).events())
          .containsExactly(new RoutedEvent(i % 2 == 0 ? "sst" : null, created(keys.get(i))));
      assertThat(got.get(i).resync()).isFalse();
    }
    assertThat(got.get(30).events()).isEmpty();
    assertThat(got.get(30).resync()).isTrue();
  }

  @Test
  void temporaryAndHiddenFilesAndDirectoriesAreLeftAlone() throws Exception {
    Spool spool = new Spool(dir);
    file(".0001.json", "created a.nc");
    file("0002.json.tmp", "created b.nc");
    file(".0003.json.tmp", "not even an event");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/0004.txt"), "created c.nc");

    assertThat(spool.poll(10, Duration.ofMillis(50))).isEmpty();
    assertThat(spool.backlog()).isZero();
    assertThat(names(dir))
        .containsExactly(".0001.json", ".0003.json.tmp", "0002.json.tmp", "rejected", "sub");
    assertThat(names(dir.resolve(Spool.REJECTED))).isEmpty();

    // the producer renames its finished file into place: now it is seen
    Files.move(dir.resolve(".0001.json"), dir.resolve("0001.json"));
    assertThat(spool.backlog()).isEqualTo(1);
    assertThat(spool.poll(10, Duration.ZERO).get(0).events())
        .containsExactly(RoutedEvent.of(created("a.nc")));
  }

  @Test
  void garbageIsMovedToRejectedWithAReason() throws Exception {
    Spool spool = new Spool(dir);
    file("01-bad.json", "{\"events\": [ {\"kind\": ");
    file("02-kind.txt", "created a.nc\ndeleted b.nc\n");
    file("03-nokey.txt", "created\n");
    file("04-empty.txt", "");
    file("05-nokey.json", "{\"events\": [{\"kind\": \"created\"}]}");
    file("06-noevents.json", "{\"created\": \"a.nc\"}");
    file("07-good.txt", "created good.nc");

    List<Delivery> got = spool.poll(10, Duration.ZERO);

    assertThat(got).hasSize(1);
    assertThat(got.get(0).events()).containsExactly(RoutedEvent.of(created("good.nc")));
    Path rejected = dir.resolve(Spool.REJECTED);
    assertThat(names(dir)).containsExactly("07-good.txt", "rejected");
    assertThat(reason(rejected, "01-bad.json")).contains("not valid JSON");
    assertThat(reason(rejected, "02-kind.txt"))
        .contains("line 2")
        .contains("unknown event kind 'deleted'");
    assertThat(reason(rejected, "03-nokey.txt")).contains("line 1").contains("'created KEY'");
    assertThat(reason(rejected, "04-empty.txt")).contains("empty file").contains("rename");
    assertThat(reason(rejected, "05-nokey.json")).contains("without a key");
    assertThat(reason(rejected, "06-noevents.json")).contains("\"events\" array");
    // the parked file keeps its content, for the producer's author to look at
    assertThat(Files.readString(rejected.resolve("02-kind.txt"))).contains("deleted b.nc");
    assertThat(spool.backlog()).isZero();
  }

  private static String reason(Path rejected, String name) throws IOException {
    assertThat(rejected.resolve(name)).exists();
    return Files.readString(rejected.resolve(name + ".reason"));
  }

  @Test
  void aDeliveryInFlightIsNotReturnedAgainUntilReleased() throws Exception {
    Spool spool = new Spool(dir);
    file("1.txt", "created a.nc");
    file("2.txt", "created b.nc");
    file("3.txt", "created c.nc");
    file("4.txt", "created d.nc");

    List<Delivery> first = spool.poll(3, Duration.ZERO);
    assertThat(first)
        .extracting(d -> d.events().get(0).event().key())
        .containsExactly("a.nc", "b.nc", "c.nc");
    assertThat(spool.backlog()).isEqualTo(1);
    List<Delivery> second = spool.poll(10, Duration.ZERO);
    assertThat(second).extracting(d -> d.events().get(0).event().key()).containsExactly("d.nc");
    assertThat(spool.poll(10, Duration.ofMillis(60))).isEmpty();
    assertThat(spool.backlog()).isZero();

    first.get(1).release();
    assertThat(spool.backlog()).isEqualTo(1);
    List<Delivery> again = spool.poll(10, Duration.ZERO);
    assertThat(again).extracting(Delivery::describe).containsExactly(first.get(1).describe());

    first.get(0).ack();
    assertThat(dir.resolve("1.txt")).doesNotExist();
    first.get(2).reject("not for this committer");
    assertThat(dir.resolve("3.txt")).doesNotExist();
    assertThat(Files.readString(dir.resolve("rejected/3.txt.reason")))
        .contains("not for this committer");
    again.get(0).ack();
    second.get(0).ack();
    assertThat(names(dir)).containsExactly("rejected");
    assertThat(spool.poll(10, Duration.ZERO)).isEmpty();
  }

  @Test
  void pollWaitsForTheFirstFileToArrive() throws Exception {
    Spool spool = new Spool(dir);
    CompletableFuture<List<Delivery>> polled =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return spool.poll(10, Duration.ofSeconds(20));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(100);
    assertThat(polled).isNotDone();
    Spool.write(dir, List.of(RoutedEvent.of(created("late.nc"))));
    List<Delivery> got = polled.get(10, TimeUnit.SECONDS);
    assertThat(got).hasSize(1);
    assertThat(got.get(0).events()).containsExactly(RoutedEvent.of(created("late.nc")));
  }

  private static SourceEvent created(String key) {
    return new SourceEvent(key, Kind.CREATED);
  }
}
