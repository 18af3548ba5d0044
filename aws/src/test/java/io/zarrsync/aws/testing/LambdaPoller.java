package io.zarrsync.aws.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What Lambda's SQS event source mapping does, in the test JVM: receive up to 10 messages, invoke
 * the handler with them as an SQS event (the exact Lambda format, as in the events module's fixture
 * {@code lambda-sqs-batch.json}), delete the messages the partial batch response does not list as
 * failed, leave the others to come back after the visibility timeout.
 */
public final class LambdaPoller {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RequestStreamHandler handler;
  private final SqsClient sqs;
  private final String queueUrl;
  private final int visibilitySeconds;
  private final int batchSize;
  private int invocations;

  /** A poller handing over batches of up to 10 messages. */
  public LambdaPoller(
      RequestStreamHandler handler, SqsClient sqs, String queueUrl, int visibilitySeconds) {
    this(handler, sqs, queueUrl, visibilitySeconds, 10);
  }

  /**
   * A poller handing over batches of up to {@code batchSize} messages (an event source mapping's
   * BatchSize; above 10, Lambda gathers several receives).
   */
  public LambdaPoller(
      RequestStreamHandler handler,
      SqsClient sqs,
      String queueUrl,
      int visibilitySeconds,
      int batchSize) {
    this.handler = handler;
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.visibilitySeconds = visibilitySeconds;
    this.batchSize = batchSize;
  }

  /** Invocations so far. */
  public int invocations() {
    return invocations;
  }

  /**
   * Receives one batch (waiting up to 1 s) and hands it to the handler.
   *
   * @return the number of messages handed over (0 if none came)
   */
  public int pollOnce() {
    List<Message> batch = new ArrayList<>();
    while (batch.size() < batchSize) {
      int n = Math.min(10, batchSize - batch.size());
      int wait = batch.isEmpty() ? 1 : 0;
      List<Message> got =
          sqs.receiveMessage(
                  b ->
                      b.queueUrl(queueUrl)
                          .maxNumberOfMessages(n)
                          .waitTimeSeconds(wait)
                          .visibilityTimeout(visibilitySeconds)
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
              .messages();
      batch.addAll(got);
      if (got.size() < n) {
        break;
      }
    }
    if (batch.isEmpty()) {
      return 0;
    }
    Set<String> failed = failures(invoke(handler, sqsEvent(batch, queueUrl)));
    for (Message m : batch) {
      if (!failed.contains(m.messageId())) {
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
    }
    invocations++;
    return batch.size();
  }

  /** The SQS event Lambda would pass for {@code messages}. */
  public static String sqsEvent(List<Message> messages, String queueUrl) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode records = root.putArray("Records");
    String queueName = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    for (Message m : messages) {
      ObjectNode r = records.addObject();
      r.put("messageId", m.messageId());
      r.put("receiptHandle", m.receiptHandle());
      r.put("body", m.body());
      ObjectNode a = r.putObject("attributes");
      Map<MessageSystemAttributeName, String> attrs = m.attributes();
      a.put(
          "ApproximateReceiveCount",
          attrs.getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
      a.put(
          "SentTimestamp",
          attrs.getOrDefault(MessageSystemAttributeName.SENT_TIMESTAMP, "1545082649183"));
      a.put("SenderId", "AIDAIENQZJOLO23YVJ4VO");
      a.put(
          "ApproximateFirstReceiveTimestamp",
          attrs.getOrDefault(
              MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP, "1545082649185"));
      r.putObject("messageAttributes");
      r.put("md5OfBody", m.md5OfBody());
      r.put("eventSource", "aws:sqs");
      r.put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:" + queueName);
      r.put("awsRegion", "us-east-1");
    }
    return root.toString();
  }

  /** Invokes the handler as Lambda would and returns what it wrote. */
  public static String invoke(RequestStreamHandler handler, String event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      handler.handleRequest(
          new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new TestContext());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The message ids a partial batch response lists as failed. */
  public static Set<String> failures(String response) {
    Set<String> out = new HashSet<>();
    try {
      JsonNode root = JSON.readTree(response);
      for (JsonNode f : root.required("batchItemFailures")) {
        out.add(f.required("itemIdentifier").asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** A Lambda context for in-process invocations. */
  public static final class TestContext implements Context {
    private final String requestId = UUID.randomUUID().toString();

    @Override
    public String getAwsRequestId() {
      return requestId;
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/zarrsync-test";
    }

    @Override
    public String getLogStreamName() {
      return "test";
    }

    @Override
    public String getFunctionName() {
      return "zarrsync-test";
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:us-east-1:000000000000:function:zarrsync-test";
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return 900_000;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 3008;
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          System.err.println(message);
        }

        @Override
        public void log(byte[] message) {
          System.err.println(new String(message, StandardCharsets.UTF_8));
        }
      };
    }
  }
}
