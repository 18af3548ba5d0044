package io.zarrsync.s3;

import io.zarrsync.api.StoreException;
import io.zarrsync.api.TransientStoreException;
import io.zarrsync.api.UnknownOutcomeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK failures into zarrsync's exceptions, so that {@link io.zarrsync.api.Retry} knows what
 * it may repeat:
 *
 * <ul>
 *   <li>throttling (503 SlowDown, 429), a refused or unreachable connection, a 409 conflict between
 *       conditional writes: {@link TransientStoreException} (nothing happened);
 *   <li>a dropped connection, a timeout or another 5xx after a write request may have reached S3:
 *       {@link UnknownOutcomeException}; for reads these are transient;
 *   <li>403, 404 NoSuchBucket, other 4xx, missing credentials: {@link StoreException} with what to
 *       check; retrying would not help.
 * </ul>
 */
final class S3Errors {
  private S3Errors() {}

  /** Whether the failed request could have changed the bucket. */
  enum Kind {
    READ,
    WRITE
  }

  static boolean isStatus(SdkException e, int status) {
    return e instanceof AwsServiceException se && se.statusCode() == status;
  }

  static String errorCode(SdkException e) {
    if (e instanceof AwsServiceException se && se.awsErrorDetails() != null) {
      String code = se.awsErrorDetails().errorCode();
      return code == null ? "" : code;
    }
    return "";
  }

  /**
   * The zarrsync exception for {@code e}.
   *
   * @param action what we tried, e.g. "write" or "list"
   * @param target the object or prefix, as {@code s3://bucket/key}
   * @param bucket the bucket, for hints
   */
  static StoreException map(
      SdkException e, Kind kind, String action, String target, String bucket) {
    String what = "cannot " + action + " " + target;
    if (e instanceof AwsServiceException se) {
      return service(se, kind, what, bucket);
    }
    if (e instanceof AbortedException) {
      return new StoreException(what + ": interrupted", e);
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return unknownOrTransient(kind, what + ": the request timed out", e);
    }
    IOException io = ioCause(e);
    if (io != null) {
      if (notConnected(io)) {
        return new TransientStoreException(
            what + ": cannot connect to the S3 endpoint (" + io + "); check the endpoint URL", e);
      }
      return unknownOrTransient(kind, what + ": connection failed (" + io + ")", e);
    }
    if (e.retryable()) {
      return unknownOrTransient(kind, what + ": " + e.getMessage(), e);
    }
    return new StoreException(
        what
            + ": "
            + e.getMessage()
            + " (check the credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE,"
            + " and the region and endpoint)",
        e);
  }

  private static StoreException service(
      AwsServiceException e, Kind kind, String what, String bucket) {
    int status = e.statusCode();
    String code = errorCode(e);
    String detail =
        what
            + ": "
            + status
            + (code.isEmpty() ? "" : " " + code)
            + (e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? " (" + e.awsErrorDetails().errorMessage() + ")"
                : "");
    if (e.isThrottlingException() || status == 503 || status == 429 || code.equals("SlowDown")) {
      // S3 rejects throttled requests before doing anything.
      return new TransientStoreException(detail + "; S3 is throttling, retrying", e);
    }
    if (status >= 500) {
      return unknownOrTransient(kind, detail, e);
    }
    if (status == 409
        && (code.equals("ConditionalRequestConflict") || code.equals("OperationAborted"))) {
      return new TransientStoreException(detail + "; a concurrent write got in the way", e);
    }
    if (code.equals("RequestTimeout") || code.equals("RequestTimeTooSkewed")) {
      // The upload was too slow (nothing stored), or the clock is off (check it if it persists).
      return new TransientStoreException(detail, e);
    }
    if (status == 403 || code.equals("ExpiredToken") || code.equals("InvalidAccessKeyId")) {
      return new StoreException(
          detail
              + "; access denied: check the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or"
              + " AWS_PROFILE), that bucket '"
              + bucket
              + "' is the right one and that its policy allows this request",
          e);
    }
    if (code.equals("NoSuchBucket")) {
      return new StoreException(
          detail
              + "; bucket '"
              + bucket
              + "' does not exist: check the bucket name, the region (AWS_REGION) and the endpoint",
          e);
    }
    if (status == 301 || status == 307 || code.equals("PermanentRedirect")) {
      return new StoreException(
          detail + "; bucket '" + bucket + "' is in another region: set AWS_REGION to its region",
          e);
    }
    return new StoreException(
        detail + "; check the bucket name, the key and the S3 endpoint settings", e);
  }

  private static StoreException unknownOrTransient(Kind kind, String message, Throwable cause) {
    return kind == Kind.WRITE
        ? new UnknownOutcomeException(message + "; the write may or may not have happened", cause)
        : new TransientStoreException(message, cause);
  }

  private static IOException ioCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        return io;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /** True for failures that happen before any byte of the request is sent. */
  private static boolean notConnected(IOException io) {
    return io instanceof ConnectException
        || io instanceof NoRouteToHostException
        || io instanceof UnknownHostException
        || (io instanceof SocketTimeoutException
            && io.getMessage() != null
            && io.getMessage().contains("connect timed out"));
  }
}
