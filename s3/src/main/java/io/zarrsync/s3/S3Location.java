package io.zarrsync.s3;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.zarr.store.StoreKeys;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A place in S3: a bucket and a key prefix, written {@code s3://bucket/prefix}. Object keys below
 * it are {@code prefix + relativeKey}.
 *
 * @param bucket the bucket name
 * @param prefix "" for the whole bucket, otherwise '/'-separated segments ending in '/', e.g.
 *     {@code stores/sst.zarr/}
 */
public record S3Location(String bucket, String prefix) {
  private static final String SCHEME = "s3://";

  // AWS's rules for new buckets (3 to 63 lower-case letters, digits, '.', '-'), plus the '_' that
  // older buckets and some S3-compatible servers allow.
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");

  public S3Location {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    if (!BUCKET.matcher(bucket).matches()) {
      throw new InvalidConfigException(
          "'"
              + bucket
              + "' is not a valid S3 bucket name: use 3 to 63 lower-case letters, digits, '.' or"
              + " '-', starting and ending with a letter or digit");
    }
    if (!prefix.isEmpty()) {
      if (!prefix.endsWith("/")) {
        throw new IllegalArgumentException("S3 prefix must be empty or end with '/': " + prefix);
      }
      try {
        StoreKeys.validate(prefix.substring(0, prefix.length() - 1));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(
            "S3 prefix '" + prefix + "' in bucket " + bucket + " is not valid: " + e.getMessage(),
            e);
      }
    }
  }

  /** True if {@code location} is an {@code s3://} URI (any case of the scheme). */
  public static boolean isS3(String location) {
    return location != null && location.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
  }

  /**
   * Parses {@code s3://bucket}, {@code s3://bucket/} or {@code s3://bucket/some/prefix[/]}. The
   * prefix is taken as raw key text (no percent-decoding), like the AWS CLI does.
   *
   * @throws InvalidConfigException if it is not of that form, naming the location and the rule
   */
  public static S3Location parse(String uri) {
    if (!isS3(uri)) {
      throw new InvalidConfigException(
          "'" + uri + "' is not an S3 location: expected s3://bucket or s3://bucket/prefix");
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new InvalidConfigException(
          "'" + uri + "' names no bucket: expected s3://bucket or s3://bucket/prefix");
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.isEmpty()) {
      return new S3Location(bucket, "");
    }
    try {
      StoreKeys.validate(path);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(
          "'"
              + uri
              + "' has an invalid prefix ("
              + e.getMessage()
              + "): expected s3://bucket/a/b with no empty, '.' or '..' parts",
          e);
    }
    return new S3Location(bucket, path + "/");
  }

  /** The object key of {@code relativeKey}, which must already be valid. */
  public String objectKey(String relativeKey) {
    return prefix + relativeKey;
  }

  /** The part of {@code objectKey} after the prefix, or null if it is not below the prefix. */
  public String relativeKey(String objectKey) {
    return objectKey.startsWith(prefix) ? objectKey.substring(prefix.length()) : null;
  }

  /** {@code s3://bucket/prefix} (no trailing slash), or {@code s3://bucket}. */
  public String uri() {
    return prefix.isEmpty()
        ? SCHEME + bucket
        : SCHEME + bucket + "/" + prefix.substring(0, prefix.length() - 1);
  }

  /** {@code s3://bucket/objectKey}, for messages. */
  public String uriOf(String objectKey) {
    return SCHEME + bucket + "/" + objectKey;
  }

  @Override
  public String toString() {
    return uri();
  }
}
