package io.zarrsync.aws.testing;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * A source prefix in a bucket that tests write to as a producer would, getting back for each change
 * the notification message S3 would send for it (with increasing sequencers).
 */
public final class SourceBucket {
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  /**
   * @param prefix the source prefix, e.g. {@code incoming/sst} (no trailing '/'), or "" for the
   *     whole bucket
   */
  public SourceBucket(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  public String bucket() {
    return bucket;
  }

  /** {@code s3://bucket/prefix}. */
  public String uri() {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }

  /** The object key of {@code key} (relative to the prefix). */
  public String objectKey(String key) {
    return prefix.isEmpty() ? key : prefix + "/" + key;
  }

  /** Uploads {@code bytes} under {@code key}; returns its ObjectCreated:Put notification. */
  public String put(String key, byte[] bytes) {
    String objectKey = objectKey(key);
    PutObjectResponse r =
        retried(
            () -> s3.putObject(b -> b.bucket(bucket).key(objectKey), RequestBody.fromBytes(bytes)));
    return S3Notifications.created(
        bucket,
        objectKey,
        bytes.length,
        r.eTag().replace("\"", ""),
        S3Notifications.sequencer(SEQUENCE.incrementAndGet()),
        Instant.now());
  }

  /**
   * Runs a set-up request again after a client-side failure: the test client has the SDK's retries
   * off (as zarrsync's), and a kept-alive connection the server closed fails the next request.
   */
  public static <T> T retried(Supplier<T> request) {
    for (int attempt = 1; ; attempt++) {
      try {
        return request.get();
      } catch (SdkClientException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** Deletes {@code key}; returns its ObjectRemoved:Delete notification. */
  public String delete(String key) {
    String objectKey = objectKey(key);
    retried(() -> s3.deleteObject(b -> b.bucket(bucket).key(objectKey)));
    return S3Notifications.removed(
        bucket, objectKey, S3Notifications.sequencer(SEQUENCE.incrementAndGet()), Instant.now());
  }
}
