package io.zarrsync.aws.testing;

import io.zarrsync.s3.testing.LocalS3;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An S3 server ({@link LocalS3}) and an SQS server ({@link LocalSqs}) in the test JVM for one test
 * class, started before its first test and stopped after its last:
 *
 * <pre>{@code
 * @RegisterExtension static final LocalAws AWS = new LocalAws();
 * ... AWS.s3().createBucket() ... AWS.sqs().createQueue() ...
 * }</pre>
 */
public final class LocalAws implements BeforeAllCallback, AfterAllCallback {
  private LocalS3 s3;
  private LocalSqs sqs;

  @Override
  public void beforeAll(ExtensionContext context) {
    s3 = LocalS3.start();
    sqs = LocalSqs.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (sqs != null) {
        sqs.close();
      }
    } finally {
      if (s3 != null) {
        s3.close();
      }
    }
  }

  /** The S3 server; only between the class's first and last test. */
  public LocalS3 s3() {
    return s3;
  }

  /** The SQS server; only between the class's first and last test. */
  public LocalSqs sqs() {
    return sqs;
  }
}
