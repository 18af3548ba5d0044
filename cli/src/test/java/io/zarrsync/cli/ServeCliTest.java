package io.zarrsync.cli;

import static io.zarrsync.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.core.SourceEvent;
import io.zarrsync.netcdf.write.Nc3Writer;
import io.zarrsync.service.RoutedEvent;
import io.zarrsync.service.Spool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code zarrsync serve} as a user runs it: a backfill with {@code --exit-when-idle}, and a
 * long-running serve (a child JVM, stopped with SIGTERM as a service manager does) that takes
 * {@code apply} hand-offs and refuses other writers.
 */
class ServeCliTest {
  private static final LocalDate START = LocalDate.of(2024, 1, 1);
  private static final long EPOCH_1981 = LocalDate.of(1981, 1, 1).toEpochDay();
  private static final Pattern URL =
      Pattern.compile("status API on (http://127\\.0\\.0\\.1:\\d+)/status");

  @TempDir Path tmp;
  Path config;
  Path source;
  Path spool;
  Process serve;

  @BeforeEach
  void collection() throws IOException {
    source = Files.createDirectories(tmp.resolve("source"));
    spool = tmp.resolve("spool");
    config = tmp.resolve("sst.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "name: sst",
            "match: 'sst/\\d{8}\\.nc'",
            "source: source",
            "store: sst.zarr",
            "layout: grid",
            "axis: {dim: time, variable: time, step: P1D, origin: 2024-01-01T00:00:00Z}",
            "chunks: {time: 1, lat: 4, lon: 6}",
            "variables: [analysed_sst]",
            ""));
  }

  @AfterEach
  void stopServe() throws InterruptedException {
    if (serve != null && serve.isAlive()) {
      serve.destroyForcibly();
      serve.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static String key(int day) {
    return "sst/" + START.plusDays(day).toString().replace("-", "") + ".nc";
  }

  /** Writes day {@code day} (0 = 2024-01-01) into the source, atomically, and returns its key. */
  private String day(int day) throws IOException {
    int nlat = 4;
    int nlon = 6;
    NdArray time = NdArray.allocate(DataType.INT, 1);
    time.setLong(0, (START.plusDays(day).toEpochDay() - EPOCH_1981) * 86400L + 43200L);
    NdArray lat = NdArray.allocate(DataType.FLOAT, nlat);
    NdArray lon = NdArray.allocate(DataType.FLOAT, nlon);
    for (int i = 0; i < nlat; i++) {
      lat.setDouble(i, -60 + 40.0 * i);
    }
    for (int j = 0; j < nlon; j++) {
      lon.setDouble(j, -150 + 60.0 * j);
    }
    NdArray sst = NdArray.allocate(DataType.SHORT, 1, nlat, nlon);
    for (int i = 0; i < nlat * nlon; i++) {
      sst.setLong(i, 100L * day + i);
    }
    Path file = source.resolve(key(day));
    Files.createDirectories(file.getParent());
    Path part = file.resolveSibling("." + file.getFileName() + ".part");
    new Nc3Writer()
        .unlimitedDimension("time")
        .dimension("lat", nlat)
        .dimension("lon", nlon)
        .variable(
            "time",
            DataType.INT,
            List.of("time"),
            Map.of("units", "seconds since 1981-01-01 00:00:00"),
            time)
        .variable("lat", DataType.FLOAT, List.of("lat"), Map.of("units", "degrees_north"), lat)
        .variable("lon", DataType.FLOAT, List.of("lon"), Map.of("units", "degrees_east"), lon)
        .variable(
            "analysed_sst",
            DataType.SHORT,
            List.of("time", "lat", "lon"),
            Map.of("_FillValue", (short) -32768),
            sst)
        .write(part);
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
    return key(day);
  }

  private long shown() throws IOException {
    Run s = run("status", "--json", "-c", config.toString());
    assertThat(s.code()).as(s.err()).isZero();
    return new ObjectMapper().readTree(s.out()).path("shown").asLong();
  }

  private List<String> spoolFiles() throws IOException {
    try (Stream<Path> s = Files.list(spool)) {
      return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void serveExitWhenIdleConsumesTheSpoolAndPrintsTheSummary() throws IOException {
    List<String> keys = new ArrayList<>();
    for (int d = 0; d < 5; d++) {
      keys.add(day(d));
    }
    for (int d = 0; d < 3; d++) {
      Spool.write(spool, List.of(RoutedEvent.of(SourceEvent.created(keys.get(d)))));
    }
    Files.writeString(
        spool.resolve("9999-from-a-shell.txt"),
        "created " + keys.get(3) + "\ncreated " + keys.get(4) + "\n",
        StandardCharsets.UTF_8);

    Run r =
        run(
            "serve",
            "-c",
            config.toString(),
            "--spool",
            spool.toString(),
            "--no-initial-sync",
            "--exit-when-idle",
            "--window",
            "200ms");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("serving 1 collection(s) from spool " + spool)
        .containsPattern("stopped: \\d+ batches, 5 events, 1 commits, 0 rejected, 0 released");
    assertThat(spoolFiles()).isEmpty();
    assertThat(shown()).isEqualTo(5);
    JsonNode log = new ObjectMapper().readTree(run("log", "--json", "-c", config.toString()).out());
    assertThat(log).hasSize(1);
    assertThat(log.get(0).path("operation").asText()).isEqualTo("apply");
  }

  @Test
  void serveWithHttpPrintsTheStatusUrl() throws IOException {
    Run r =
        run(
            "serve",
            "-c",
            config.toString(),
            "--spool",
            spool.toString(),
            "--http",
            "127.0.0.1:0",
            "--exit-when-idle",
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    Matcher m = URL.matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    assertThat(Integer.parseInt(m.group(1).replaceAll(".*:", ""))).isPositive();
    // --json: the final counters as JSON after the human lines
    JsonNode st = new ObjectMapper().readTree(r.out().substring(r.out().indexOf("{")));
    assertThat(st.path("batches").asLong()).isZero();
    assertThat(st.has("consecutiveFailures")).isTrue();
  }

  @Test
  void aRunningServeTakesApplyHandOffsRefusesOtherWritersAndStopsOnSigterm() throws Exception {
    String first = day(0);
    Path out = tmp.resolve("serve.out");
    Path err = tmp.resolve("serve.err");
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    serve =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                cp,
                Main.class.getName(),
                "serve",
                "-c",
                config.toString(),
                "--spool",
                spool.toString(),
                "--http",
                "127.0.0.1:0",
                "--window",
                "100ms")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Files.readString(out).contains("serving 1 collection(s)") || !serve.isAlive());
    assertThat(serve.isAlive()).as(Files.readString(err)).isTrue();
    Matcher m = URL.matcher(Files.readString(out));
    assertThat(m.find()).isTrue();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create(m.group(1) + "/health"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    // the initial sync applied the day already in the source
    assertThat(shown()).isEqualTo(1);

    // another process's apply hands its event to the serve through the spool
    String second = day(1);
    Run apply = run("apply", "-c", config.toString(), "--created", second);
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out())
        .contains("handed 1 event(s) to zarrsync serve (pid " + serve.pid())
        .contains(spool.toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> shown() == 2);

    // a sync is refused, naming the holder; so is an apply told not to hand off
    Run sync = run("sync", "-c", config.toString());
    assertThat(sync.code()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(sync.err())
        .contains("is being written by zarrsync serve (pid " + serve.pid())
        .contains("spool " + spool);
    Run noHandoff = run("apply", "-c", config.toString(), "--no-handoff", "--removed", first);
    assertThat(noHandoff.code()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(shown()).isEqualTo(2);

    // SIGTERM: the serve finishes, prints its summary and releases the store
    serve.destroy();
    assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(out))
        .containsPattern("stopped: \\d+ batches, 1 events, \\d+ commits, 0 rejected");
    assertThat(spoolFiles()).isEmpty();
    Run after = run("sync", "-c", config.toString());
    assertThat(after.code()).as(after.err()).isZero();
    assertThat(after.out()).contains("store unchanged (no commit)");
  }
}
