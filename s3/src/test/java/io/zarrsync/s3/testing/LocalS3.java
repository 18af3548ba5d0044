package io.zarrsync.s3.testing;

import io.zarrsync.api.Retry;
import io.zarrsync.s3.S3Clients;
import io.zarrsync.s3.S3Settings;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 server in the test JVM: s3proxy with its in-memory blob store, on 127.0.0.1 and a free
 * port, with SigV4 authentication. (The in-memory store is about 2.5 times faster than s3proxy's
 * filesystem store and leaves nothing behind.) Start one per test class and close it when done:
 *
 * <pre>{@code
 * static LocalS3 s3;
 * @BeforeAll static void start() { s3 = LocalS3.start(); }
 * @AfterAll static void stop() { s3.close(); }
 * ...
 * String bucket = s3.createBucket();
 * S3Store store = S3Locations.store("s3://" + bucket + "/x.zarr", s3.settings());
 * }</pre>
 *
 * Modules that use this class from the test-jar also need {@code org.gaul:s3proxy} (test scope;
 * version and exclusions come from the parent's dependencyManagement).
 */
public final class LocalS3 implements AutoCloseable {
  /** The access key the server accepts. */
  public static final String ACCESS_KEY = "zarrsync-test-access";

  /** The secret key the server accepts. */
  public static final String SECRET_KEY = "zarrsync-test-secret";

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final S3Proxy proxy;
  private final URI endpoint;
  private final S3Client client;

  private LocalS3(S3Proxy proxy, URI endpoint) {
    this.proxy = proxy;
    this.endpoint = endpoint;
    this.client = S3Clients.create(settings());
  }

  /**
   * Starts an empty server.
   *
   * @throws IllegalStateException if it does not start within 30 s
   */
  public static LocalS3 start() {
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .stopTimeout(0)
            .build();
    try {
      proxy.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
        }
        Thread.sleep(5);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot start s3proxy: " + e, e);
    }
    return new LocalS3(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
  }

  /** The server's URL, {@code http://127.0.0.1:port}. */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Settings that reach this server: its endpoint, path-style addressing, its credentials, and a
   * retry policy of 8 attempts with 1 to 20 ms pauses, so tests with faults stay fast.
   */
  public S3Settings settings() {
    return settings(endpoint);
  }

  /** {@link #settings()} with another endpoint, e.g. a {@link FaultyProxy} in front of this one. */
  public S3Settings settings(URI otherEndpoint) {
    return S3Settings.defaults()
        .withEndpoint(otherEndpoint)
        .withPathStyle(true)
        .withCredentials(ACCESS_KEY, SECRET_KEY)
        .withRetry(
            Retry.defaults()
                .withAttempts(8)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(20)));
  }

  /** A client of this server for test set-up; owned (and closed) by this object. */
  public S3Client client() {
    return client;
  }

  /** Creates a bucket with a new name and returns the name. */
  public String createBucket() {
    String name = "bucket-" + BUCKETS.incrementAndGet();
    createBucket(name);
    return name;
  }

  /** Creates the bucket {@code name}. */
  public void createBucket(String name) {
    client.createBucket(b -> b.bucket(name));
  }

  /** Stops the server; its data is gone. */
  @Override
  public void close() {
    client.close();
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop s3proxy: " + e, e);
    }
  }
}
