package io.zarrsync.s3;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.api.Retry;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach S3: the endpoint, region, addressing style, credentials, listing page size and the
 * {@link Retry} used for every request. The SDK's own retries are off; all retrying goes through
 * {@code retry}.
 *
 * @param endpoint an S3-compatible endpoint (MinIO, s3proxy, ...), or null for AWS S3
 * @param region the signing region, e.g. {@code us-east-1}
 * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key}; needed
 *     by most S3-compatible servers
 * @param accessKey the access key id, or null to use the SDK's default credential chain
 *     (environment, {@code ~/.aws} profiles, container and instance roles)
 * @param secretKey the secret key; given exactly when {@code accessKey} is
 * @param pageSize keys asked for per list request, 1 to 1000 (S3's maximum); small values only make
 *     sense in tests
 * @param retry how failed requests are retried
 */
public record S3Settings(
    URI endpoint,
    String region,
    boolean pathStyle,
    String accessKey,
    String secretKey,
    int pageSize,
    Retry retry) {

  /** S3's largest list page. */
  public static final int MAX_PAGE_SIZE = 1000;

  /** The region used when none is configured. */
  public static final String DEFAULT_REGION = "us-east-1";

  public S3Settings {
    if (region == null || region.isBlank()) {
      throw new InvalidConfigException("S3 region must not be empty (set AWS_REGION)");
    }
    if ((accessKey == null) != (secretKey == null)) {
      throw new InvalidConfigException(
          "S3 credentials need both an access key and a secret key, or neither");
    }
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new InvalidConfigException(
          "S3 list page size must be between 1 and " + MAX_PAGE_SIZE + ": " + pageSize);
    }
    Objects.requireNonNull(retry, "retry");
  }

  /**
   * AWS S3 in {@value #DEFAULT_REGION}, default credentials, full pages, {@link Retry#defaults}.
   */
  public static S3Settings defaults() {
    return new S3Settings(null, DEFAULT_REGION, false, null, null, MAX_PAGE_SIZE, Retry.defaults());
  }

  /** {@link #fromEnvironment(Map)} with this process's environment. */
  public static S3Settings fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * Settings from environment variables:
   *
   * <ul>
   *   <li>endpoint: {@code ZARRSYNC_S3_ENDPOINT}, else {@code AWS_ENDPOINT_URL_S3}, else {@code
   *       AWS_ENDPOINT_URL}; unset means AWS S3;
   *   <li>region: {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}, else {@value
   *       #DEFAULT_REGION};
   *   <li>path style: {@code ZARRSYNC_S3_PATH_STYLE} ({@code true}/{@code false}), by default true
   *       exactly when an endpoint is set;
   *   <li>credentials: always the SDK's default chain, which reads {@code AWS_ACCESS_KEY_ID},
   *       {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}, {@code AWS_PROFILE} and more.
   * </ul>
   *
   * @throws InvalidConfigException naming the variable whose value is wrong
   */
  public static S3Settings fromEnvironment(Map<String, String> env) {
    String endpointVar = null;
    for (String name :
        new String[] {"ZARRSYNC_S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}) {
      if (!blank(env.get(name))) {
        endpointVar = name;
        break;
      }
    }
    URI endpoint = endpointVar == null ? null : endpoint(endpointVar, env.get(endpointVar).trim());
    String region = DEFAULT_REGION;
    if (!blank(env.get("AWS_REGION"))) {
      region = env.get("AWS_REGION").trim();
    } else if (!blank(env.get("AWS_DEFAULT_REGION"))) {
      region = env.get("AWS_DEFAULT_REGION").trim();
    }
    boolean pathStyle = endpoint != null;
    String style = env.get("ZARRSYNC_S3_PATH_STYLE");
    if (!blank(style)) {
      switch (style.trim().toLowerCase(Locale.ROOT)) {
        case "true":
          pathStyle = true;
          break;
        case "false":
          pathStyle = false;
          break;
        default:
          throw new InvalidConfigException(
              "ZARRSYNC_S3_PATH_STYLE must be true or false, not '" + style + "'");
      }
    }
    return new S3Settings(endpoint, region, pathStyle, null, null, MAX_PAGE_SIZE, Retry.defaults());
  }

  /** The same settings with another endpoint (null for AWS S3). */
  public S3Settings withEndpoint(URI e) {
    return new S3Settings(e, region, pathStyle, accessKey, secretKey, pageSize, retry);
  }

  public S3Settings withRegion(String r) {
    return new S3Settings(endpoint, r, pathStyle, accessKey, secretKey, pageSize, retry);
  }

  public S3Settings withPathStyle(boolean p) {
    return new S3Settings(endpoint, region, p, accessKey, secretKey, pageSize, retry);
  }

  /** The same settings with static credentials instead of the default chain. */
  public S3Settings withCredentials(String access, String secret) {
    return new S3Settings(endpoint, region, pathStyle, access, secret, pageSize, retry);
  }

  public S3Settings withPageSize(int n) {
    return new S3Settings(endpoint, region, pathStyle, accessKey, secretKey, n, retry);
  }

  public S3Settings withRetry(Retry r) {
    return new S3Settings(endpoint, region, pathStyle, accessKey, secretKey, pageSize, r);
  }

  /** Never shows the secret key. */
  @Override
  public String toString() {
    return "S3Settings[endpoint="
        + (endpoint == null ? "AWS" : endpoint)
        + ", region="
        + region
        + ", pathStyle="
        + pathStyle
        + ", credentials="
        + (accessKey == null ? "default chain" : "static " + accessKey + "/****")
        + ", pageSize="
        + pageSize
        + ", attempts="
        + retry.attempts()
        + "]";
  }

  private static URI endpoint(String variable, String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new InvalidConfigException(
          variable + " is not a URL: '" + value + "' (expected e.g. http://127.0.0.1:9000)", e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new InvalidConfigException(
          variable
              + " must be an http or https URL with a host: '"
              + value
              + "' (expected e.g. http://127.0.0.1:9000)");
    }
    return uri;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
