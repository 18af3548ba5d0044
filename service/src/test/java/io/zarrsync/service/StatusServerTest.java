package io.zarrsync.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.core.SourceEvent;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.zarr.store.FailingStore;
import io.zarrsync.zarr.store.FailingStore.Op;
import io.zarrsync.zarr.store.FailingStore.Rule;
import io.zarrsync.zarr.store.FileSystemStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP status API of a committer, over a real socket on 127.0.0.1. */
class StatusServerTest {
  @TempDir Path tmp;
  Path source;
  Path spoolDir;
  FailingStore store;
  SyncEngine engine;
  Committer committer;
  StatusServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    source = Files.createDirectories(tmp.resolve("source"));
    spoolDir = tmp.resolve("spool");
    store = new FailingStore(new FileSystemStore(tmp.resolve("sst.zarr")));
    engine = Grids.engine(Grids.daily("sst", "sst"), source, store);
    engine.acquireLease();
    committer =
        new Committer(
            List.of(engine),
            List.of(new Spool(spoolDir)),
            CommitterSettings.defaults()
                .withWindow(Duration.ofMillis(100))
                .withIdlePoll(Duration.ofMillis(100)),
            Clock.systemUTC());
    server =
        StatusServer.start(
            new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0),
            committer);
  }

  @AfterEach
  void stop() {
    server.close();
    committer.shutdown();
    engine.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode status() throws Exception {
    HttpResponse<String> r = get("/status");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return new ObjectMapper().readTree(r.body());
  }

  private void created(int day) {
    Spool.write(
        spoolDir, List.of(RoutedEvent.of(SourceEvent.created(Grids.writeDay(source, "sst", day)))));
  }

  @Test
  void statusShowsTheCountersAndEachCollection() throws Exception {
    assertThat(server.port()).isPositive();
    JsonNode before = status();
    assertThat(before.path("committer").path("batches").asLong()).isZero();
    assertThat(before.path("collections").path("sst").path("store").path("commit").asLong())
        .isZero();

    created(0);
    created(1);
    assertThat(committer.runOnce()).isEqualTo(2);

    JsonNode s = status();
    JsonNode c = s.path("committer");
    assertThat(c.path("batches").asLong()).isEqualTo(1);
    assertThat(c.path("events").asLong()).isEqualTo(2);
    assertThat(c.path("acked").asLong()).isEqualTo(2);
    assertThat(c.path("commits").asLong()).isEqualTo(1);
    assertThat(c.path("lastCommit").path("sst").asLong()).isEqualTo(1);
    assertThat(c.path("backlog").path("spool " + spoolDir.toAbsolutePath()).asLong()).isZero();
    assertThat(c.path("started").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    JsonNode sst = s.path("collections").path("sst");
    assertThat(sst.path("store").path("commit").asLong()).isEqualTo(1);
    assertThat(sst.path("store").path("shown").asLong()).isEqualTo(2);
    assertThat(sst.path("store").path("dims").path("time").asLong()).isEqualTo(2);
    assertThat(sst.path("lease").path("holder").asText()).contains("zarrsync");
    assertThat(sst.has("busy")).isFalse();
  }

  @Test
  void healthTurns503AfterAFailedBatchAnd200AfterAGoodOne() throws Exception {
    HttpResponse<String> ok = get("/health");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("ok\n");

    store.fail(Rule.on(Op.PUT, Op.PUT_IF_ABSENT).persistent());
    created(0);
    assertThat(committer.runOnce()).isEqualTo(1);
    HttpResponse<String> failing = get("/health");
    assertThat(failing.statusCode()).isEqualTo(503);
    assertThat(failing.body()).startsWith("failing: 1 batch(es)").contains("injected");
    assertThat(status().path("committer").path("lastError").asText()).contains("injected");

    store.heal();
    assertThat(committer.runOnce()).isEqualTo(1);
    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(status().path("collections").path("sst").path("store").path("shown").asLong())
        .isEqualTo(1);
  }

  @Test
  void statusAndHealthAnswerWhileAnEngineIsBusy() throws Exception {
    JsonNode idle = status();
    assertThat(idle.path("collections").path("sst").path("store").path("commit").asLong()).isZero();
    // SyncEngine's methods are synchronized: holding its monitor is what a long batch does
    SyncEngine busyEngine = engine;
    synchronized (busyEngine) {
      long t0 = System.nanoTime();
      assertThat(get("/health").statusCode()).isEqualTo(200);
      JsonNode busy = status();
      assertThat((System.nanoTime() - t0) / 1e9).isLessThan(8);
      JsonNode sst = busy.path("collections").path("sst");
      assertThat(sst.path("busy").asText()).contains("last status read");
      assertThat(sst.path("store").path("collection").asText()).isEqualTo("sst");
      assertThat(get("/health").statusCode()).isEqualTo(200);
    }
    JsonNode after = status();
    assertThat(after.path("collections").path("sst").has("busy")).isFalse();
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/statusx").statusCode()).isEqualTo(404);
    assertThat(get("/health/deep").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }
}
