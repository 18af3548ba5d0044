package io.zarrsync.s3;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * Opens stores and sources named by {@code s3://bucket/prefix} URIs.
 *
 * <p>Client ownership: {@link #store(String, S3Settings)} and {@link #source(String, S3Settings)}
 * build a client for each result, which the result owns: close the store or source when done. The
 * overloads taking an {@link S3Client} share the caller's client and never close it, so one client
 * (one connection pool) can serve a store and a source at once.
 */
public final class S3Locations {
  private S3Locations() {}

  /** True if {@code location} is an {@code s3://} URI rather than a local path. */
  public static boolean isS3(String location) {
    return S3Location.isS3(location);
  }

  /**
   * The store at {@code s3uri}, with a client of its own that {@link S3Store#close()} closes.
   *
   * @throws io.zarrsync.api.InvalidConfigException if {@code s3uri} is malformed
   */
  public static S3Store store(String s3uri, S3Settings settings) {
    S3Location location = S3Location.parse(s3uri);
    return new S3Store(S3Clients.create(settings), true, location, settings);
  }

  /** The store at {@code s3uri} over a shared client that the caller closes. */
  public static S3Store store(String s3uri, S3Client client, S3Settings settings) {
    return new S3Store(client, false, S3Location.parse(s3uri), settings);
  }

  /**
   * The source at {@code s3uri}, with a client of its own that {@link S3Source#close()} closes.
   *
   * @throws io.zarrsync.api.InvalidConfigException if {@code s3uri} is malformed
   */
  public static S3Source source(String s3uri, S3Settings settings) {
    S3Location location = S3Location.parse(s3uri);
    return new S3Source(S3Clients.create(settings), true, location, settings, null);
  }

  /** The source at {@code s3uri} over a shared client that the caller closes. */
  public static S3Source source(String s3uri, S3Client client, S3Settings settings) {
    return new S3Source(client, false, S3Location.parse(s3uri), settings, null);
  }
}
