package io.zarrsync.aws.testing;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An SQS server in the test JVM: ElasticMQ on 127.0.0.1 and a free port. Start one per test class
 * and close it when done. Any credentials are accepted.
 */
public final class LocalSqs implements AutoCloseable {
  /** Credentials for clients of this server (ElasticMQ accepts any). */
  public static final String ACCESS_KEY = "zarrsync-test-access";

  public static final String SECRET_KEY = "zarrsync-test-secret";

  private final SQSRestServer server;
  private final URI endpoint;
  private final SqsClient client;
  private int queues;

  private LocalSqs(SQSRestServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
    this.client = client(endpoint);
  }

  /** Starts an empty server. */
  public static LocalSqs start() {
    SQSRestServer server =
        SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
    int port = server.waitUntilStarted().localAddress().getPort();
    return new LocalSqs(server, URI.create("http://127.0.0.1:" + port));
  }

  /** A new client of {@code endpoint} with static test credentials; the caller closes it. */
  public static SqsClient client(URI endpoint) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
        .build();
  }

  public URI endpoint() {
    return endpoint;
  }

  /** A client for set-up and checks, owned by this object. */
  public SqsClient client() {
    return client;
  }

  /** Creates a queue with a new name and returns its URL. */
  public synchronized String createQueue() {
    return createQueue("queue-" + ++queues, Map.of());
  }

  /** Creates a queue with the given attributes and returns its URL. */
  public String createQueue(String name, Map<QueueAttributeName, String> attributes) {
    return client.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
  }

  /**
   * Creates a queue whose redrive policy moves a message to {@code deadLetterQueueUrl} after {@code
   * maxReceiveCount} receives.
   */
  public synchronized String createQueueWithRedrive(
      String deadLetterQueueUrl, int maxReceiveCount) {
    String arn =
        client
            .getQueueAttributes(
                b -> b.queueUrl(deadLetterQueueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    return createQueue(
        "queue-" + ++queues,
        Map.of(
            QueueAttributeName.REDRIVE_POLICY,
            "{\"maxReceiveCount\":\""
                + maxReceiveCount
                + "\",\"deadLetterTargetArn\":\""
                + arn
                + "\"}"));
  }

  /** Sends each message body. */
  public void send(String queueUrl, List<String> bodies) {
    for (String b : bodies) {
      client.sendMessage(r -> r.queueUrl(queueUrl).messageBody(b));
    }
  }

  /**
   * Every message on the queue now (visible ones), received with a short visibility and made
   * visible again, with their attributes.
   */
  public List<Message> peek(String queueUrl) {
    List<Message> out = new ArrayList<>();
    while (true) {
      List<Message> got =
          client
              .receiveMessage(
                  b ->
                      b.queueUrl(queueUrl)
                          .maxNumberOfMessages(10)
                          .visibilityTimeout(30)
                          .messageAttributeNames("All")
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
              .messages();
      if (got.isEmpty()) {
        break;
      }
      out.addAll(got);
    }
    for (Message m : out) {
      client.changeMessageVisibility(
          b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
    }
    return out;
  }

  /** Messages not yet deleted: visible, in flight and delayed. */
  public long count(String queueUrl) {
    Map<QueueAttributeName, String> a =
        client
            .getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
            .attributes();
    return a.values().stream().mapToLong(Long::parseLong).sum();
  }

  @Override
  public void close() {
    client.close();
    server.stopAndWait();
  }
}
