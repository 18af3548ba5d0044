package io.zarrsync.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.InvalidConfigException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqsClientsTest {
  private static final String AWS_QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/events";
  private static final String LOCAL_QUEUE = "http://127.0.0.1:9324/000000000000/events";

  @Test
  void anAwsQueueUsesAwsUnlessAnEndpointIsConfigured() {
    assertThat(SqsClients.endpoint(AWS_QUEUE, Map.of())).isNull();
    assertThat(SqsClients.endpoint(AWS_QUEUE, Map.of("AWS_ENDPOINT_URL", "http://10.0.0.1:4566")))
        .isEqualTo(URI.create("http://10.0.0.1:4566"));
    assertThat(
            SqsClients.endpoint(
                AWS_QUEUE,
                Map.of(
                    "AWS_ENDPOINT_URL", "http://10.0.0.1:4566",
                    "AWS_ENDPOINT_URL_SQS", "http://10.0.0.2:9324")))
        .isEqualTo(URI.create("http://10.0.0.2:9324"));
  }

  @Test
  void aQueueOnAnotherServerIsReachedThereEvenWhenAnS3EndpointIsSet() {
    assertThat(SqsClients.endpoint(LOCAL_QUEUE, Map.of("AWS_ENDPOINT_URL", "http://10.0.0.1:9000")))
        .isEqualTo(URI.create("http://127.0.0.1:9324"));
  }

  @Test
  void theRegionComesFromTheEnvironmentElseFromTheQueueUrl() {
    assertThat(SqsClients.region(AWS_QUEUE, Map.of())).isEqualTo("eu-west-1");
    assertThat(SqsClients.region("https://ap-southeast-2.queue.amazonaws.com/1/q", Map.of()))
        .isEqualTo("ap-southeast-2");
    assertThat(SqsClients.region(AWS_QUEUE, Map.of("AWS_REGION", "us-west-2")))
        .isEqualTo("us-west-2");
    assertThat(SqsClients.region(LOCAL_QUEUE, Map.of())).isEqualTo("us-east-1");
  }

  @Test
  void aQueueUrlThatIsNoUrlIsAConfigError() {
    assertThatThrownBy(() -> SqsClients.endpoint("events", Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("'events'");
  }
}
