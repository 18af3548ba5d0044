package io.zarrsync.s3;

import io.zarrsync.api.Retry;
import io.zarrsync.api.StoreException;
import io.zarrsync.api.TransientStoreException;
import io.zarrsync.api.UnknownOutcomeException;
import io.zarrsync.s3.S3Errors.Kind;
import io.zarrsync.zarr.store.Store;
import io.zarrsync.zarr.store.StoreKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link Store} under {@code s3://bucket/prefix}: key {@code a/b} is the object {@code
 * prefix/a/b}. Keys are validated by {@link StoreKeys}, so nothing is ever written outside the
 * prefix.
 *
 * <p>{@link #put} is a PutObject (atomic in S3); {@link #putIfAbsent} is a PutObject with {@code
 * If-None-Match: *}, which S3 (since August 2024), MinIO and s3proxy honour: exactly one of several
 * racing creators gets a 200, the others a 412. Every request goes through the settings' {@link
 * Retry}: reads, plain puts and deletes are repeated after any transient failure or unknown
 * outcome; a create whose outcome is unknown is checked by reading the object back: our own bytes
 * there mean we created it. That check assumes two writers never create the same key with the same
 * bytes (the commit log's records name their writer).
 *
 * <p>Listing pages through ListObjectsV2 ({@link S3Settings#pageSize} keys a request); keys below
 * the prefix that are not valid store keys (folder markers ending in '/', '//' or '..' written by
 * other tools) are not listed. Results are sorted by Java's string order, as for every store.
 *
 * <p>Thread-safe. A store made by {@link S3Locations#store(String, S3Settings)} owns its client and
 * {@link #close()} closes it; one made with the public constructor does not.
 */
public final class S3Store implements Store, AutoCloseable {
  private static final String CONTENT_TYPE = "application/octet-stream";

  private final S3Client s3;
  private final boolean ownsClient;
  private final S3Location location;
  private final int pageSize;
  private final Retry retry;

  /**
   * A store over a client the caller keeps and closes.
   *
   * @param settings supplies the page size and the retry policy (the client is already built)
   */
  public S3Store(S3Client s3, S3Location location, S3Settings settings) {
    this(s3, false, location, settings);
  }

  S3Store(S3Client s3, boolean ownsClient, S3Location location, S3Settings settings) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.ownsClient = ownsClient;
    this.location = Objects.requireNonNull(location, "location");
    this.pageSize = settings.pageSize();
    this.retry = settings.retry();
  }

  /** Where the store lives. */
  public S3Location location() {
    return location;
  }

  @Override
  public Optional<byte[]> get(String key) {
    String objectKey = objectKey(key);
    return retry.callIdempotent("get " + uri(objectKey), () -> read(objectKey));
  }

  @Override
  public void put(String key, byte[] value) {
    String objectKey = objectKey(key);
    RequestBody body = RequestBody.fromBytes(value);
    retry.runIdempotent(
        "put " + uri(objectKey),
        () -> {
          try {
            s3.putObject(
                b -> b.bucket(location.bucket()).key(objectKey).contentType(CONTENT_TYPE), body);
          } catch (SdkException e) {
            throw failure(e, Kind.WRITE, "write", objectKey);
          }
        });
  }

  @Override
  public boolean putIfAbsent(String key, byte[] value) {
    String objectKey = objectKey(key);
    byte[] bytes = value.clone();
    // Set once an attempt may have written: from then on a 412 may be our own earlier write.
    AtomicBoolean maybeWritten = new AtomicBoolean();
    try {
      return retry.callChecked(
          "create " + uri(objectKey),
          () -> createOnce(objectKey, bytes, maybeWritten),
          () -> read(objectKey).map(now -> Arrays.equals(now, bytes)));
    } catch (TransientStoreException e) {
      if (maybeWritten.get()) {
        throw new UnknownOutcomeException(
            "cannot create "
                + uri(objectKey)
                + ": an attempt may have created it and the store could not be read to check ("
                + e.getMessage()
                + ")",
            e);
      }
      throw e;
    }
  }

  @Override
  public void delete(String key) {
    String objectKey = objectKey(key);
    retry.runIdempotent(
        "delete " + uri(objectKey),
        () -> {
          try {
            s3.deleteObject(b -> b.bucket(location.bucket()).key(objectKey));
          } catch (SdkException e) {
            if (!S3Errors.isStatus(e, 404) || S3Errors.errorCode(e).equals("NoSuchBucket")) {
              throw failure(e, Kind.WRITE, "delete", objectKey);
            }
          }
        });
  }

  @Override
  public boolean exists(String key) {
    String objectKey = objectKey(key);
    return retry.callIdempotent(
        "stat " + uri(objectKey),
        () -> {
          try {
            s3.headObject(b -> b.bucket(location.bucket()).key(objectKey));
            return true;
          } catch (SdkException e) {
            if (S3Errors.isStatus(e, 404) && !S3Errors.errorCode(e).equals("NoSuchBucket")) {
              return false;
            }
            throw failure(e, Kind.READ, "stat", objectKey);
          }
        });
  }

  @Override
  public List<String> list(String prefix) {
    StoreKeys.validatePrefix(prefix);
    List<String> keys = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Response page = listPage(location.objectKey(prefix), null, token);
      for (S3Object object : page.contents()) {
        String key = location.relativeKey(object.key());
        // The startsWith check guards against servers that normalise the prefix (s3proxy's
        // filesystem backend reads "x/." as "x/").
        if (key != null && key.startsWith(prefix) && isValidKey(key)) {
          keys.add(key);
        }
      }
      token = nextToken(page);
    } while (token != null);
    Collections.sort(keys);
    return keys;
  }

  @Override
  public List<String> listChildren(String dir) {
    StoreKeys.validateDirectory(dir);
    TreeSet<String> children = new TreeSet<>();
    String token = null;
    do {
      ListObjectsV2Response page = listPage(location.objectKey(dir), "/", token);
      for (S3Object object : page.contents()) {
        String key = location.relativeKey(object.key());
        if (key != null && key.startsWith(dir) && isValidKey(key)) {
          children.add(key);
        }
      }
      for (CommonPrefix common : page.commonPrefixes()) {
        String sub = location.relativeKey(common.prefix());
        if (sub != null
            && sub.startsWith(dir)
            && sub.endsWith("/")
            && isValidKey(sub.substring(0, sub.length() - 1))) {
          children.add(sub);
        }
      }
      token = nextToken(page);
    } while (token != null);
    return new ArrayList<>(children);
  }

  @Override
  public String describe() {
    return location.uri();
  }

  @Override
  public String toString() {
    return "S3Store[" + location.uri() + "]";
  }

  /** Closes the S3 client if this store owns it. */
  @Override
  public void close() {
    if (ownsClient) {
      s3.close();
    }
  }

  private boolean createOnce(String objectKey, byte[] bytes, AtomicBoolean maybeWritten) {
    try {
      s3.putObject(
          b ->
              b.bucket(location.bucket()).key(objectKey).contentType(CONTENT_TYPE).ifNoneMatch("*"),
          RequestBody.fromBytes(bytes));
      return true;
    } catch (SdkException e) {
      if (S3Errors.isStatus(e, 412)) {
        // Someone created it first; after an unknown outcome, that someone may have been us.
        return maybeWritten.get()
            && read(objectKey).map(now -> Arrays.equals(now, bytes)).orElse(false);
      }
      StoreException mapped = failure(e, Kind.WRITE, "create", objectKey);
      if (mapped instanceof UnknownOutcomeException) {
        maybeWritten.set(true);
      }
      throw mapped;
    }
  }

  /** One GetObject, not retried. */
  private Optional<byte[]> read(String objectKey) {
    try {
      ResponseBytes<GetObjectResponse> bytes =
          s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(objectKey));
      return Optional.of(bytes.asByteArray());
    } catch (SdkException e) {
      if (S3Errors.isStatus(e, 404) && !S3Errors.errorCode(e).equals("NoSuchBucket")) {
        return Optional.empty();
      }
      throw failure(e, Kind.READ, "read", objectKey);
    }
  }

  private ListObjectsV2Response listPage(String objectPrefix, String delimiter, String token) {
    ListObjectsV2Request request =
        ListObjectsV2Request.builder()
            .bucket(location.bucket())
            .prefix(objectPrefix)
            .delimiter(delimiter)
            .maxKeys(pageSize)
            .continuationToken(token)
            .build();
    return retry.callIdempotent(
        "list " + uri(objectPrefix),
        () -> {
          try {
            return s3.listObjectsV2(request);
          } catch (SdkException e) {
            throw failure(e, Kind.READ, "list", objectPrefix);
          }
        });
  }

  /** The token of the next page, or null after the last one. */
  static String nextToken(ListObjectsV2Response page) {
    if (!Boolean.TRUE.equals(page.isTruncated())) {
      return null;
    }
    String token = page.nextContinuationToken();
    if (token == null || token.isEmpty()) {
      throw new StoreException(
          "S3 returned a truncated listing without a continuation token; the server does not"
              + " implement ListObjectsV2 correctly");
    }
    return token;
  }

  private String objectKey(String key) {
    return location.objectKey(StoreKeys.validate(key));
  }

  private String uri(String objectKey) {
    return location.uriOf(objectKey);
  }

  private StoreException failure(SdkException e, Kind kind, String action, String objectKey) {
    return S3Errors.map(e, kind, action, uri(objectKey), location.bucket());
  }

  private static boolean isValidKey(String key) {
    try {
      StoreKeys.validate(key);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
