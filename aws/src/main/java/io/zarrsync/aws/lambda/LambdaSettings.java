package io.zarrsync.aws.lambda;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.s3.S3Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Lambda handler works on.
 *
 * @param configs collection config locations: a path (relative ones resolve against {@code
 *     taskRoot}, where Lambda unpacks the deployment package) or {@code s3://bucket/key.yaml}
 * @param leaseWait how long an invocation waits for a store's lease held by someone else (a
 *     previous invocation that timed out before releasing it, a backfill {@code sync})
 * @param leaseTtl the lifetime of the lease this function takes, renewed every third of it
 * @param taskRoot the directory relative config paths resolve against
 * @param s3 how to reach S3 for the configs, sources and stores
 */
public record LambdaSettings(
    List<String> configs, Duration leaseWait, Duration leaseTtl, Path taskRoot, S3Settings s3) {

  /** Default {@code ZARRSYNC_LEASE_WAIT}: longer than the default lease lifetime (30 s). */
  public static final Duration DEFAULT_LEASE_WAIT = Duration.ofSeconds(60);

  /** Default {@code ZARRSYNC_LEASE_TTL}. */
  public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(30);

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  public LambdaSettings {
    configs = List.copyOf(configs);
    if (configs.isEmpty()) {
      throw new InvalidConfigException(
          "no collection config: set ZARRSYNC_CONFIG to a comma-separated list of config"
              + " locations (collections/sst.yaml inside the package, or s3://bucket/sst.yaml)");
    }
    Objects.requireNonNull(leaseWait, "leaseWait");
    Objects.requireNonNull(leaseTtl, "leaseTtl");
    Objects.requireNonNull(taskRoot, "taskRoot");
    Objects.requireNonNull(s3, "s3");
  }

  /**
   * {@link #fromEnvironment(Map, S3Settings)} of this process, with {@link
   * S3Settings#fromEnvironment()}.
   */
  public static LambdaSettings fromEnvironment() {
    return fromEnvironment(System.getenv(), S3Settings.fromEnvironment());
  }

  /**
   * Settings from {@code ZARRSYNC_CONFIG} (required), {@code ZARRSYNC_LEASE_WAIT} (default 60s),
   * {@code ZARRSYNC_LEASE_TTL} (default 30s) and {@code LAMBDA_TASK_ROOT} (set by Lambda; default
   * the working directory). Durations are like {@code 90s}, {@code 5m}, {@code 500ms} or ISO-8601
   * ({@code PT90S}).
   *
   * @throws InvalidConfigException naming the variable whose value is wrong
   */
  public static LambdaSettings fromEnvironment(Map<String, String> env, S3Settings s3) {
    List<String> configs = new ArrayList<>();
    String list = env.getOrDefault("ZARRSYNC_CONFIG", "");
    for (String part : list.split(",", -1)) {
      if (!part.isBlank()) {
        configs.add(part.trim());
      }
    }
    String root = env.get("LAMBDA_TASK_ROOT");
    return new LambdaSettings(
        configs,
        duration(env, "ZARRSYNC_LEASE_WAIT", DEFAULT_LEASE_WAIT),
        duration(env, "ZARRSYNC_LEASE_TTL", DEFAULT_LEASE_TTL),
        root == null || root.isBlank() ? Path.of("").toAbsolutePath() : Path.of(root),
        s3);
  }

  static Duration duration(Map<String, String> env, String name, Duration fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    String s = v.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(s);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
          case "ms":
            return Duration.ofMillis(n);
          case "s":
            return Duration.ofSeconds(n);
          case "m":
            return Duration.ofMinutes(n);
          default:
            return Duration.ofHours(n);
        }
      }
      Duration d = Duration.parse(v.trim());
      if (d.isNegative()) {
        throw new InvalidConfigException(name + " must not be negative: '" + v + "'");
      }
      return d;
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new InvalidConfigException(
          name + " is not a duration: '" + v + "' (expected e.g. 60s, 5m or PT60S)", e);
    }
  }
}
