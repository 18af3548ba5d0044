package io.zarrsync.aws;

import io.zarrsync.api.InvalidConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * Builds the {@link SqsClient} for a queue URL: the JDK's {@code HttpURLConnection} transport, the
 * SDK's retries off (the feed retries through {@link io.zarrsync.api.Retry}), the default
 * credential chain.
 *
 * <p>The endpoint is {@code AWS_ENDPOINT_URL_SQS} if set; otherwise, for a queue URL that is not on
 * {@code amazonaws.com} (ElasticMQ, LocalStack: {@code http://127.0.0.1:9324/000000000000/q}), the
 * server the URL names; otherwise {@code AWS_ENDPOINT_URL}, else AWS. The region is {@code
 * AWS_REGION} (or {@code AWS_DEFAULT_REGION}), else the one in an AWS queue URL ({@code
 * https://sqs.eu-west-1.amazonaws.com/...}), else {@code us-east-1}.
 */
public final class SqsClients {
  /** Longer than SQS's longest long poll (20 s), so a waiting receive is not cut short. */
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

  private static final Pattern AWS_HOST =
      Pattern.compile("(?:sqs\\.([a-z0-9-]+)|([a-z0-9-]+)\\.queue)\\.amazonaws\\.com(?:\\.cn)?");

  private SqsClients() {}

  /**
   * A client for {@code queueUrl} configured from {@code env} (see above); the caller closes it.
   */
  public static SqsClient forQueue(String queueUrl, Map<String, String> env) {
    SqsClientBuilder b =
        SqsClient.builder()
            .region(Region.of(region(queueUrl, env)))
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(SOCKET_TIMEOUT))
            .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
    URI endpoint = endpoint(queueUrl, env);
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    return b.build();
  }

  /** The endpoint to send requests for {@code queueUrl} to, or null for AWS's own. */
  static URI endpoint(String queueUrl, Map<String, String> env) {
    String sqs = env.get("AWS_ENDPOINT_URL_SQS");
    if (sqs != null && !sqs.isBlank()) {
      return uri("AWS_ENDPOINT_URL_SQS", sqs.trim());
    }
    URI q = uri("the SQS queue URL", queueUrl);
    if (!isAws(q)) {
      return URI.create(q.getScheme() + "://" + q.getRawAuthority());
    }
    String all = env.get("AWS_ENDPOINT_URL");
    if (all != null && !all.isBlank()) {
      return uri("AWS_ENDPOINT_URL", all.trim());
    }
    return null;
  }

  /** The signing region for {@code queueUrl}. */
  static String region(String queueUrl, Map<String, String> env) {
    for (String name : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    URI q = uri("the SQS queue URL", queueUrl);
    Matcher m = AWS_HOST.matcher(q.getHost().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      return m.group(1) != null ? m.group(1) : m.group(2);
    }
    return "us-east-1";
  }

  private static boolean isAws(URI q) {
    String host = q.getHost().toLowerCase(Locale.ROOT);
    return host.endsWith(".amazonaws.com") || host.endsWith(".amazonaws.com.cn");
  }

  private static URI uri(String what, String value) {
    URI u;
    try {
      u = new URI(value);
    } catch (URISyntaxException e) {
      throw new InvalidConfigException(
          what
              + " is not a URL: '"
              + value
              + "' (expected e.g. https://sqs.eu-west-1.amazonaws.com/123456789012/queue)",
          e);
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
      throw new InvalidConfigException(
          what
              + " must be an http or https URL with a host: '"
              + value
              + "' (expected e.g. https://sqs.eu-west-1.amazonaws.com/123456789012/queue)");
    }
    return u;
  }
}
