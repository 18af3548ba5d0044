package io.zarrsync.s3.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP proxy on 127.0.0.1 in front of an S3 server that fails a share of the requests, to test
 * recovery from the failures S3 really has:
 *
 * <ul>
 *   <li>{@link Fault#SLOW_DOWN}: answers {@code 503 SlowDown} with S3's XML error body, without
 *       forwarding (nothing happened);
 *   <li>{@link Fault#DROP_BEFORE_FORWARD}: reads the whole request, then resets the connection
 *       without forwarding it (nothing happened, but the client cannot know);
 *   <li>{@link Fault#DROP_AFTER_FORWARD}: forwards the request, waits for the server's response,
 *       then resets the connection instead of returning it (the request took effect; the client
 *       sees the same failure as above).
 * </ul>
 *
 * Each connection carries one request: the proxy reads it (framed by Content-Length or by chunked
 * transfer encoding; {@code Expect: 100-continue} is answered at once), forwards it on a new
 * connection with {@code Connection: close}, reads the response to the end and returns it with
 * {@code Connection: close}. Which requests fail is drawn from a {@link Random} with the given seed
 * (the order of concurrent requests still varies). Headers are forwarded unchanged apart from
 * Connection, Keep-Alive and Expect, so SigV4 signatures stay valid.
 */
public final class FaultyProxy implements AutoCloseable {
  /** What the proxy does to a failed request. */
  public enum Fault {
    SLOW_DOWN,
    DROP_BEFORE_FORWARD,
    DROP_AFTER_FORWARD
  }

  private static final int MAX_HEAD = 64 * 1024;
  private static final byte[] SLOW_DOWN_BODY =
      ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
              + "<Message>Please reduce your request rate.</Message>"
              + "<RequestId>faulty-proxy</RequestId></Error>")
          .getBytes(StandardCharsets.UTF_8);

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final List<Fault> faults;
  private final Random random;
  private volatile double share;
  private volatile Predicate<String> eligible = requestLine -> true;
  private final ExecutorService pool;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<Fault, AtomicInteger> counts = new EnumMap<>(Fault.class);
  private volatile boolean closed;

  private FaultyProxy(URI target, double share, long seed, Set<Fault> faults) throws IOException {
    if (share < 0 || share > 1) {
      throw new IllegalArgumentException("fault share must be in [0, 1]: " + share);
    }
    if (faults.isEmpty()) {
      throw new IllegalArgumentException("no faults to inject");
    }
    this.target =
        new InetSocketAddress(target.getHost(), target.getPort() < 0 ? 80 : target.getPort());
    this.share = share;
    this.random = new Random(seed);
    this.faults = List.copyOf(EnumSet.copyOf(faults));
    for (Fault f : Fault.values()) {
      counts.put(f, new AtomicInteger());
    }
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "faulty-proxy");
              t.setDaemon(true);
              return t;
            });
    pool.execute(this::acceptLoop);
  }

  /** A proxy to {@code target} that fails {@code share} (0 to 1) of requests with any fault. */
  public static FaultyProxy start(URI target, double share, long seed) {
    return start(target, share, seed, EnumSet.allOf(Fault.class));
  }

  /** A proxy to {@code target} that fails {@code share} of requests with one of {@code faults}. */
  public static FaultyProxy start(URI target, double share, long seed, Set<Fault> faults) {
    try {
      return new FaultyProxy(target, share, seed, faults);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the faulty proxy: " + e, e);
    }
  }

  /** {@code http://127.0.0.1:port}: point the S3 client here. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Changes the share of failed requests, e.g. to 0 to check results without faults. */
  public void setFaultShare(double newShare) {
    if (newShare < 0 || newShare > 1) {
      throw new IllegalArgumentException("fault share must be in [0, 1]: " + newShare);
    }
    this.share = newShare;
  }

  /**
   * Limits faults to requests whose request line (e.g. {@code PUT /bucket/key HTTP/1.1}) passes
   * {@code filter}; the others are always forwarded.
   */
  public void setFaultFilter(Predicate<String> filter) {
    this.eligible = Objects.requireNonNull(filter, "filter");
  }

  /** Requests received so far. */
  public int requests() {
    return requests.get();
  }

  /** Requests failed with {@code fault} so far. */
  public int count(Fault fault) {
    return counts.get(fault).get();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    for (Socket s : open) {
      closeQuietly(s);
    }
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      open.add(client);
      try {
        pool.execute(() -> serve(client));
      } catch (RuntimeException e) {
        closeQuietly(client);
        open.remove(client);
      }
    }
  }

  private Fault draw() {
    synchronized (random) {
      if (random.nextDouble() >= share) {
        return null;
      }
      return faults.get(random.nextInt(faults.size()));
    }
  }

  private void serve(Socket client) {
    try {
      client.setSoTimeout(60_000);
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      Head head = Head.read(in);
      if (head == null) {
        return; // the client opened a connection and closed it without a request
      }
      if ("100-continue".equalsIgnoreCase(head.header("Expect"))) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
      byte[] body = readBody(in, head);
      requests.incrementAndGet();
      Fault fault = eligible.test(head.requestLine()) ? draw() : null;
      if (fault != null) {
        counts.get(fault).incrementAndGet();
      }
      if (fault == Fault.SLOW_DOWN) {
        out.write(slowDown(head.method().equals("HEAD")));
        out.flush();
        return;
      }
      if (fault == Fault.DROP_BEFORE_FORWARD) {
        reset(client);
        return;
      }
      byte[] response = forward(head, body);
      if (fault == Fault.DROP_AFTER_FORWARD) {
        reset(client);
        return;
      }
      out.write(response);
      out.flush();
    } catch (IOException e) {
      // the client went away, or the server failed: the client sees a dropped connection
    } finally {
      closeQuietly(client);
      open.remove(client);
    }
  }

  private byte[] forward(Head head, byte[] body) throws IOException {
    try (Socket backend = new Socket()) {
      open.add(backend);
      try {
        backend.connect(target, 10_000);
        backend.setSoTimeout(60_000);
        OutputStream out = backend.getOutputStream();
        out.write(head.rewritten());
        out.write(body);
        out.flush();
        byte[] all = backend.getInputStream().readAllBytes();
        return closeResponse(all);
      } finally {
        open.remove(backend);
      }
    }
  }

  /** The response with its Connection and Keep-Alive headers replaced by Connection: close. */
  private static byte[] closeResponse(byte[] response) throws IOException {
    int end = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (end < 0) {
      throw new EOFException("truncated response from the S3 server");
    }
    String head = new String(response, 0, end, StandardCharsets.ISO_8859_1);
    StringBuilder sb = new StringBuilder();
    for (String line : head.split("\r\n", -1)) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("connection:") || lower.startsWith("keep-alive:")) {
        continue;
      }
      sb.append(line).append("\r\n");
    }
    sb.append("Connection: close\r\n\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream(response.length + 32);
    out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(response, end + 4, response.length - end - 4);
    return out.toByteArray();
  }

  private static byte[] slowDown(boolean head) {
    String status =
        "HTTP/1.1 503 Slow Down\r\n"
            + "Content-Type: application/xml\r\n"
            + "Content-Length: "
            + SLOW_DOWN_BODY.length
            + "\r\n"
            + "x-amz-request-id: faulty-proxy\r\n"
            + "Connection: close\r\n\r\n";
    byte[] statusBytes = status.getBytes(StandardCharsets.ISO_8859_1);
    if (head) {
      return statusBytes;
    }
    byte[] all = new byte[statusBytes.length + SLOW_DOWN_BODY.length];
    System.arraycopy(statusBytes, 0, all, 0, statusBytes.length);
    System.arraycopy(SLOW_DOWN_BODY, 0, all, statusBytes.length, SLOW_DOWN_BODY.length);
    return all;
  }

  /** The body as sent (chunked framing kept), so that it can be forwarded byte for byte. */
  private static byte[] readBody(InputStream in, Head head) throws IOException {
    String te = head.header("Transfer-Encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in);
        out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        int semi = sizeLine.indexOf(';');
        String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim();
        long size = Long.parseLong(hex, 16);
        if (size == 0) {
          // trailers, then an empty line
          String line;
          do {
            line = readLine(in);
            out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          } while (!line.isEmpty());
          return out.toByteArray();
        }
        out.write(in.readNBytes(Math.toIntExact(size)));
        String crlf = readLine(in);
        if (!crlf.isEmpty()) {
          throw new IOException("bad chunk framing");
        }
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    String length = head.header("Content-Length");
    if (length == null) {
      return new byte[0];
    }
    int n = Integer.parseInt(length.trim());
    byte[] body = in.readNBytes(n);
    if (body.length != n) {
      throw new EOFException("request body ended after " + body.length + " of " + n + " bytes");
    }
    return body;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in the middle of a request");
      }
      if (prev == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
      if (line.size() > MAX_HEAD) {
        throw new IOException("line too long");
      }
      prev = b;
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Closes with a TCP reset, the way a dropped connection looks to the client. */
  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (IOException e) {
      // closing normally is a drop too
    }
    closeQuietly(s);
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /** A request line and its headers. */
  private record Head(String requestLine, List<String> headers) {
    static Head read(InputStream in) throws IOException {
      String requestLine;
      try {
        requestLine = readLine(in);
      } catch (EOFException e) {
        return null;
      }
      List<String> headers = new ArrayList<>();
      int size = requestLine.length();
      while (true) {
        String line = readLine(in);
        if (line.isEmpty()) {
          return new Head(requestLine, List.copyOf(headers));
        }
        size += line.length();
        if (size > MAX_HEAD) {
          throw new IOException("request head too long");
        }
        headers.add(line);
      }
    }

    String method() {
      int space = requestLine.indexOf(' ');
      return space < 0 ? requestLine : requestLine.substring(0, space);
    }

    String header(String name) {
      for (String h : headers) {
        int colon = h.indexOf(':');
        if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return h.substring(colon + 1).trim();
        }
      }
      return null;
    }

    /** The head to forward: no Connection, Keep-Alive or Expect; Connection: close added. */
    byte[] rewritten() {
      StringBuilder sb = new StringBuilder(requestLine).append("\r\n");
      for (String h : headers) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("connection:")
            || lower.startsWith("keep-alive:")
            || lower.startsWith("expect:")
            || lower.startsWith("proxy-connection:")) {
          continue;
        }
        sb.append(h).append("\r\n");
      }
      sb.append("Connection: close\r\n\r\n");
      return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
  }
}
