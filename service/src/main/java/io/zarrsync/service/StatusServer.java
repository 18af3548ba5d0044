package io.zarrsync.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.zarrsync.api.StoreException;
import io.zarrsync.core.SyncEngine;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The committer's HTTP status API (JDK HTTP server, no extra dependencies):
 *
 * <ul>
 *   <li>{@code GET /status}: JSON with the committer's counters ({@link CommitterStats}), and per
 *       collection its store status and lease. An engine is busy while it applies a batch; a
 *       collection whose status cannot be read within a second shows the last status read and
 *       {@code "busy"}, so the API answers during a long batch too;
 *   <li>{@code GET /health}: {@code 200 ok} while batches succeed, {@code 503} with the last error
 *       after a failed batch until the next good one. It never waits for an engine.
 * </ul>
 *
 * Binds the address given (use 127.0.0.1 unless the port is firewalled).
 */
public final class StatusServer implements AutoCloseable {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /** How long {@code /status} waits for a busy engine before showing its last known status. */
  private static final Duration STATUS_WAIT = Duration.ofSeconds(1);

  private static final int HTTP_THREADS = 4;

  private final HttpServer server;
  private final ExecutorService http;
  private final ExecutorService readers;
  private final Committer committer;
  private final Map<String, CompletableFuture<Map<String, Object>>> reading =
      new ConcurrentHashMap<>();
  private final Map<String, Map<String, Object>> lastKnown = new ConcurrentHashMap<>();

  private StatusServer(HttpServer server, Committer committer) {
    this.server = server;
    this.committer = committer;
    // Several threads, so that /health answers while a /status request waits for an engine.
    this.http = Executors.newFixedThreadPool(HTTP_THREADS, daemon("zarrsync-http"));
    // At most one status read per collection is in flight (see collections()), so this pool holds
    // at most one thread per collection.
    this.readers = Executors.newCachedThreadPool(daemon("zarrsync-status-read"));
  }

  /**
   * Starts serving the status of {@code committer} on {@code address} (port 0 picks a free one).
   */
  public static StatusServer start(InetSocketAddress address, Committer committer) {
    HttpServer s;
    try {
      s = HttpServer.create(address, 16);
    } catch (IOException e) {
      throw new StoreException("cannot listen on " + address + ": " + e.getMessage(), e);
    }
    StatusServer st = new StatusServer(s, committer);
    s.setExecutor(st.http);
    s.createContext("/status", get("/status", ex -> respond(ex, 200, json(st::status))));
    s.createContext("/health", get("/health", st::health));
    s.start();
    return st;
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Serves GET (and HEAD) of exactly {@code path}: 404 for deeper paths, 405 for other methods. */
  private static HttpHandler get(String path, HttpHandler handler) {
    return ex -> {
      try (ex) {
        if (!ex.getRequestURI().getPath().equals(path)) {
          respond(ex, 404, "not found: try GET /status or /health\n");
        } else if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
          ex.getResponseHeaders().add("Allow", "GET, HEAD");
          respond(ex, 405, "method not allowed: use GET\n");
        } else {
          handler.handle(ex);
        }
      }
    };
  }

  private void health(HttpExchange ex) throws IOException {
    CommitterStats st = committer.stats();
    boolean failing = st.consecutiveFailures() > 0;
    respond(
        ex,
        failing ? 503 : 200,
        (failing
                ? "failing: "
                    + st.consecutiveFailures()
                    + " batch(es) in a row failed, the last with: "
                    + st.lastError()
                : "ok")
            + "\n");
  }

  private Map<String, Object> status() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("committer", committer.stats());
    out.put("collections", collections());
    return out;
  }

  /** Each collection's status, waiting at most {@link #STATUS_WAIT} in all for busy engines. */
  private Map<String, Object> collections() {
    Map<String, CompletableFuture<Map<String, Object>>> futures = new LinkedHashMap<>();
    for (Map.Entry<String, SyncEngine> e : committer.engines().entrySet()) {
      SyncEngine engine = e.getValue();
      futures.put(
          e.getKey(),
          reading.compute(
              e.getKey(),
              (k, old) ->
                  old != null && !old.isDone()
                      ? old
                      : CompletableFuture.supplyAsync(() -> read(engine), readers)));
    }
    long deadline = System.nanoTime() + STATUS_WAIT.toNanos();
    Map<String, Object> colls = new LinkedHashMap<>();
    for (Map.Entry<String, CompletableFuture<Map<String, Object>>> f : futures.entrySet()) {
      Map<String, Object> c;
      try {
        c = f.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        lastKnown.put(f.getKey(), c);
      } catch (TimeoutException e) {
        Map<String, Object> last = lastKnown.get(f.getKey());
        c = new LinkedHashMap<>(last == null ? Map.of() : last);
        c.put(
            "busy",
            "a batch is being applied to this store; "
                + (last == null ? "its status was not read yet" : "this is the last status read"));
      } catch (ExecutionException e) {
        c = Map.of("error", String.valueOf(e.getCause()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c = Map.of("error", "interrupted");
      }
      colls.put(f.getKey(), c);
    }
    return colls;
  }

  private static Map<String, Object> read(SyncEngine engine) {
    Map<String, Object> c = new LinkedHashMap<>();
    try {
      c.put("store", engine.status());
      c.put("lease", engine.heldLease().orElse(null));
    } catch (RuntimeException ex) {
      c.put("error", ex.getMessage());
    }
    return c;
  }

  private static String json(Supplier<Object> body) {
    try {
      return JSON.writeValueAsString(body.get()) + "\n";
    } catch (IOException e) {
      return "{\"error\": \"cannot encode status\"}\n";
    }
  }

  private static void respond(HttpExchange ex, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders()
        .add(
            "Content-Type",
            body.startsWith("{") ? "application/json" : "text/plain; charset=utf-8");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(code, -1);
      return;
    }
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    http.shutdownNow();
    readers.shutdownNow();
  }
}
