package io.zarrsync.aws;

import io.zarrsync.api.StoreException;
import io.zarrsync.api.TransientStoreException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SQS failures into zarrsync's exceptions: throttling, 5xx, timeouts and broken connections
 * are {@link TransientStoreException} (every SQS call the feed makes may be repeated: a repeated
 * receive only hides other messages for a while, a repeated delete or visibility change does what
 * the first did); access, missing queues and other 4xx are {@link StoreException} naming what to
 * check.
 */
final class SqsErrors {
  private SqsErrors() {}

  static StoreException map(SdkException e, String what, String queueUrl) {
    String message = "cannot " + what + " on SQS queue " + queueUrl;
    if (e instanceof AbortedException) {
      return new StoreException(message + ": interrupted", e);
    }
    if (e instanceof AwsServiceException se) {
      String code =
          se.awsErrorDetails() == null || se.awsErrorDetails().errorCode() == null
              ? ""
              : se.awsErrorDetails().errorCode();
      String detail =
          message
              + ": "
              + se.statusCode()
              + (code.isEmpty() ? "" : " " + code)
              + (se.awsErrorDetails() != null && se.awsErrorDetails().errorMessage() != null
                  ? " (" + se.awsErrorDetails().errorMessage() + ")"
                  : "");
      if (se.isThrottlingException() || se.statusCode() >= 500 || se.statusCode() == 429) {
        return new TransientStoreException(detail, e);
      }
      if (code.contains("NonExistentQueue") || code.contains("QueueDoesNotExist")) {
        return new StoreException(detail + "; check the queue URL and the region (AWS_REGION)", e);
      }
      if (se.statusCode() == 403 || code.contains("AccessDenied")) {
        return new StoreException(
            detail
                + "; check the credentials and that they allow sqs:ReceiveMessage,"
                + " sqs:DeleteMessage, sqs:ChangeMessageVisibility and sqs:GetQueueAttributes"
                + " (and sqs:SendMessage on the dead-letter queue)",
            e);
      }
      return new StoreException(detail, e);
    }
    if (e instanceof SdkClientException && isIo(e)) {
      return new TransientStoreException(message + ": " + e.getMessage(), e);
    }
    if (e.retryable()) {
      return new TransientStoreException(message + ": " + e.getMessage(), e);
    }
    return new StoreException(
        message
            + ": "
            + e.getMessage()
            + " (check the credentials, the region and the endpoint: AWS_ENDPOINT_URL_SQS)",
        e);
  }

  private static boolean isIo(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }
}
