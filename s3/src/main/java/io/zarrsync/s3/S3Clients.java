package io.zarrsync.s3;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the {@link S3Client} for some {@link S3Settings}:
 *
 * <ul>
 *   <li>the JDK's {@code HttpURLConnection} transport (no Netty, no Apache client);
 *   <li>the SDK's retries off: zarrsync retries through {@link io.zarrsync.api.Retry}, which knows
 *       which failures may have written something;
 *   <li>plain request bodies instead of {@code aws-chunked} ones (the checksum goes in a header,
 *       computed up front, which our in-memory values allow): s3proxy answers an aws-chunked PUT
 *       before reading its last bytes and then drops the kept-alive connection, so that about one
 *       PUT in ten after it failed with "Error writing request body to server";
 *   <li>no {@code Expect: 100-continue}: our objects are small, so waiting for the go-ahead would
 *       only add a round trip to every PUT.
 * </ul>
 */
public final class S3Clients {
  /** How long to wait for a TCP connection. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** How long a read may block before the request fails (and is retried). */
  public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

  private S3Clients() {}

  /** A new client; the caller closes it. */
  public static S3Client create(S3Settings settings) {
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .forcePathStyle(settings.pathStyle())
            .credentialsProvider(credentials(settings))
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .socketTimeout(SOCKET_TIMEOUT))
            .serviceConfiguration(c -> c.chunkedEncodingEnabled(false).expectContinueEnabled(false))
            .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(S3Settings settings) {
    if (settings.accessKey() != null) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
