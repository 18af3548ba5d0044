package io.zarrsync.s3;

import io.zarrsync.api.InvalidSourceFileException;
import io.zarrsync.api.Retry;
import io.zarrsync.api.StoreException;
import io.zarrsync.api.TransientStoreException;
import io.zarrsync.core.source.Fingerprint;
import io.zarrsync.core.source.OpenedObject;
import io.zarrsync.core.source.Source;
import io.zarrsync.core.source.SourceKeys;
import io.zarrsync.core.source.SourceObject;
import io.zarrsync.s3.S3Errors.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link Source} over the objects below {@code s3://bucket/prefix}; keys are relative to the
 * prefix. Object keys are used as they are (spaces, '+', any Unicode); objects whose key is not a
 * clean relative path (a folder marker ending in '/', or a key with '//', '.' or '..' parts) are
 * not listed, and asking for a key with a '..' part is an error.
 *
 * <p>Fingerprints are (size, Last-Modified, ETag). Last-Modified is cut to whole seconds because
 * HEAD and GET report it to the second while some servers list it to the millisecond: list, {@link
 * #stat} and {@link #open} must agree for an unchanged object. ETags are kept without their quotes.
 *
 * <p>{@link #open} downloads the object to a temporary file (streamed, never held in memory) and
 * reports the fingerprint of the version it actually downloaded, which may be newer than the one
 * listed; closing the {@link OpenedObject} deletes the file. A download cut off half-way is retried
 * from the start.
 *
 * <p>Thread-safe. A source made by {@link S3Locations#source(String, S3Settings)} owns its client
 * and {@link #close()} closes it; one made with the public constructor does not.
 */
public final class S3Source implements Source, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(S3Source.class);
  private static final Pattern EXTENSION = Pattern.compile("\\.[A-Za-z0-9]{1,10}$");

  private final S3Client s3;
  private final boolean ownsClient;
  private final S3Location location;
  private final int pageSize;
  private final Retry retry;
  private final Path tempDirectory;

  /**
   * A source over a client the caller keeps and closes; downloads go to {@code java.io.tmpdir}.
   *
   * @param settings supplies the page size and the retry policy (the client is already built)
   */
  public S3Source(S3Client s3, S3Location location, S3Settings settings) {
    this(s3, false, location, settings, null);
  }

  /**
   * A source over a client the caller keeps and closes.
   *
   * @param tempDirectory where {@link #open} puts downloads, or null for {@code java.io.tmpdir}
   */
  public S3Source(S3Client s3, S3Location location, S3Settings settings, Path tempDirectory) {
    this(s3, false, location, settings, tempDirectory);
  }

  S3Source(
      S3Client s3,
      boolean ownsClient,
      S3Location location,
      S3Settings settings,
      Path tempDirectory) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.ownsClient = ownsClient;
    this.location = Objects.requireNonNull(location, "location");
    this.pageSize = settings.pageSize();
    this.retry = settings.retry();
    this.tempDirectory = tempDirectory;
  }

  /** Where the source lives. */
  public S3Location location() {
    return location;
  }

  @Override
  public List<SourceObject> list() {
    List<SourceObject> out = new ArrayList<>();
    int skipped = 0;
    String example = null;
    String token = null;
    do {
      ListObjectsV2Response page = listPage(token);
      for (S3Object object : page.contents()) {
        String key = location.relativeKey(object.key());
        if (key == null) {
          continue;
        }
        if (!isCleanKey(key)) {
          skipped++;
          example = example == null ? object.key() : example;
          continue;
        }
        out.add(
            new SourceObject(
                key, fingerprint(object.size(), object.lastModified(), object.eTag())));
      }
      token = S3Store.nextToken(page);
    } while (token != null);
    if (skipped > 0) {
      LOG.warn(
          "{}: skipped {} object(s) whose keys are not plain relative paths, e.g. '{}'",
          location.uri(),
          skipped,
          example);
    }
    out.sort(Comparator.comparing(SourceObject::key));
    return out;
  }

  @Override
  public Optional<SourceObject> stat(String key) {
    String k = SourceKeys.normalize(key);
    String objectKey = location.objectKey(k);
    return retry.callIdempotent(
        "stat " + location.uriOf(objectKey),
        () -> {
          try {
            HeadObjectResponse head =
                s3.headObject(b -> b.bucket(location.bucket()).key(objectKey));
            return Optional.of(
                new SourceObject(
                    k, fingerprint(head.contentLength(), head.lastModified(), head.eTag())));
          } catch (SdkException e) {
            if (S3Errors.isStatus(e, 404) && !S3Errors.errorCode(e).equals("NoSuchBucket")) {
              return Optional.empty();
            }
            throw S3Errors.map(e, Kind.READ, "stat", location.uriOf(objectKey), location.bucket());
          }
        });
  }

  @Override
  public OpenedObject open(String key) {
    String k = SourceKeys.normalize(key);
    String objectKey = location.objectKey(k);
    Path temp;
    try {
      temp =
          tempDirectory == null
              ? Files.createTempFile("zarrsync-s3-", suffix(k))
              : Files.createTempFile(tempDirectory, "zarrsync-s3-", suffix(k));
    } catch (IOException e) {
      throw new StoreException(
          "cannot create a temporary file to download "
              + location.uriOf(objectKey)
              + ": "
              + e
              + " (check the free space and permissions of the temp directory)",
          e);
    }
    try {
      Fingerprint fp =
          retry.callIdempotent(
              "download " + location.uriOf(objectKey), () -> download(k, objectKey, temp));
      return new Downloaded(temp, fp);
    } catch (RuntimeException e) {
      deleteQuietly(temp);
      throw e;
    }
  }

  @Override
  public String describe() {
    return location.uri();
  }

  @Override
  public String toString() {
    return "S3Source[" + location.uri() + "]";
  }

  /** Closes the S3 client if this source owns it. */
  @Override
  public void close() {
    if (ownsClient) {
      s3.close();
    }
  }

  private Fingerprint download(String key, String objectKey, Path temp) {
    String uri = location.uriOf(objectKey);
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(b -> b.bucket(location.bucket()).key(objectKey))) {
      GetObjectResponse response = in.response();
      long copied = Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
      Long expected = response.contentLength();
      if (expected != null && copied != expected) {
        throw new TransientStoreException(
            "download of " + uri + " stopped after " + copied + " of " + expected + " bytes");
      }
      return fingerprint(copied, response.lastModified(), response.eTag());
    } catch (SdkException e) {
      if (S3Errors.isStatus(e, 404) && !S3Errors.errorCode(e).equals("NoSuchBucket")) {
        throw new InvalidSourceFileException(
            key, "vanished from " + location.uri() + " before it could be downloaded", e);
      }
      throw S3Errors.map(e, Kind.READ, "download", uri, location.bucket());
    } catch (IOException | UncheckedIOException e) {
      throw new TransientStoreException("download of " + uri + " failed: " + e, e);
    }
  }

  private ListObjectsV2Response listPage(String token) {
    ListObjectsV2Request request =
        ListObjectsV2Request.builder()
            .bucket(location.bucket())
            .prefix(location.prefix())
            .maxKeys(pageSize)
            .continuationToken(token)
            .build();
    return retry.callIdempotent(
        "list " + location.uri(),
        () -> {
          try {
            return s3.listObjectsV2(request);
          } catch (SdkException e) {
            throw S3Errors.map(e, Kind.READ, "list", location.uri(), location.bucket());
          }
        });
  }

  /** Fingerprint with Last-Modified to the second and the ETag without quotes. */
  static Fingerprint fingerprint(Long size, Instant lastModified, String etag) {
    long millis = lastModified == null ? 0 : lastModified.getEpochSecond() * 1000;
    String tag = etag == null ? "" : etag;
    if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
      tag = tag.substring(1, tag.length() - 1);
    }
    return new Fingerprint(size == null ? 0 : size, millis, tag);
  }

  /** True if {@code key} is its own normal form (no '.', '..' or empty parts). */
  private static boolean isCleanKey(String key) {
    if (key.isEmpty() || key.endsWith("/")) {
      return false;
    }
    try {
      return SourceKeys.normalize(key).equals(key);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Keeps the extension (".nc") so tools that look at it still work on the download. */
  private static String suffix(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    var m = EXTENSION.matcher(name);
    return m.find() ? m.group() : ".tmp";
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      LOG.warn("cannot delete temporary download {}: {}", temp, e.toString());
    }
  }

  /** A downloaded copy; closing deletes it. */
  private static final class Downloaded implements OpenedObject {
    private final Path path;
    private final Fingerprint fingerprint;

    Downloaded(Path path, Fingerprint fingerprint) {
      this.path = path;
      this.fingerprint = fingerprint;
    }

    @Override
    public Path path() {
      return path;
    }

    @Override
    public Fingerprint fingerprint() {
      return fingerprint;
    }

    @Override
    public void close() {
      deleteQuietly(path);
    }
  }
}
