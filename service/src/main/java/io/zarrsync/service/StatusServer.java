package io.zarrsync.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.zarrsync.api.StoreException;
import io.zarrsync.core.SyncEngine;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The committer's HTTP status API (JDK HTTP server, no extra dependencies):
 *
 * <ul>
 *   <li>{@code GET /status}: JSON with the committer's counters ({@link CommitterStats}), and per
 *       collection its store status and lease;
 *   <li>{@code GET /health}: {@code 200 ok} while batches succeed, {@code 503} with the last error
 *       after a failed batch until the next good one.
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

  private final HttpServer server;

  private StatusServer(HttpServer server) {
    this.server = server;
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
    s.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "zarrsync-http");
              t.setDaemon(true);
              return t;
            }));
    s.createContext("/status", ex -> respond(ex, 200, json(() -> status(committer))));
    s.createContext(
        "/health",
        ex -> {
          CommitterStats st = committer.stats();
          boolean failing =
              st.lastErrorAt() != null
                  && (st.lastBatch() == null || !st.lastBatch().isAfter(st.lastErrorAt()));
          respond(ex, failing ? 503 : 200, (failing ? "failing: " + st.lastError() : "ok") + "\n");
        });
    s.start();
    return new StatusServer(s);
  }

  private static Map<String, Object> status(Committer committer) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("committer", committer.stats());
    Map<String, Object> colls = new LinkedHashMap<>();
    for (Map.Entry<String, SyncEngine> e : committer.engines().entrySet()) {
      Map<String, Object> c = new LinkedHashMap<>();
      try {
        c.put("store", e.getValue().status());
        c.put("lease", e.getValue().heldLease().orElse(null));
      } catch (RuntimeException ex) {
        c.put("error", ex.getMessage());
      }
      colls.put(e.getKey(), c);
    }
    out.put("collections", colls);
    return out;
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
        .add("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
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
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
