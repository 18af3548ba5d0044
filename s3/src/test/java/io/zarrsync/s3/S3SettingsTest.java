package io.zarrsync.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.api.Retry;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
  @Test
  void anEmptyEnvironmentMeansAwsS3InUsEast1WithTheDefaultChain() {
    S3Settings s = S3Settings.fromEnvironment(Map.of());
    assertThat(s.endpoint()).isNull();
    assertThat(s.region()).isEqualTo("us-east-1");
    assertThat(s.pathStyle()).isFalse();
    assertThat(s.accessKey()).isNull();
    assertThat(s.pageSize()).isEqualTo(1000);
    assertThat(s.retry().attempts()).isEqualTo(Retry.defaults().attempts());
  }

  @Test
  void anEndpointTurnsOnPathStyleUnlessToldOtherwise() {
    S3Settings s =
        S3Settings.fromEnvironment(
            Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9000", "AWS_REGION", "eu-west-3"));
    assertThat(s.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(s.region()).isEqualTo("eu-west-3");
    assertThat(s.pathStyle()).isTrue();
    assertThat(
            S3Settings.fromEnvironment(
                    Map.of("AWS_ENDPOINT_URL", "http://h:1", "ZARRSYNC_S3_PATH_STYLE", "false"))
                .pathStyle())
        .isFalse();
    assertThat(S3Settings.fromEnvironment(Map.of("ZARRSYNC_S3_PATH_STYLE", "TRUE")).pathStyle())
        .isTrue();
  }

  @Test
  void theZarrsyncVariableWinsOverTheAwsOnes() {
    S3Settings s =
        S3Settings.fromEnvironment(
            Map.of(
                "AWS_ENDPOINT_URL", "http://generic:1",
                "AWS_ENDPOINT_URL_S3", "http://s3-specific:2",
                "ZARRSYNC_S3_ENDPOINT", "https://ours:3",
                "AWS_DEFAULT_REGION", "ap-south-1"));
    assertThat(s.endpoint()).isEqualTo(URI.create("https://ours:3"));
    assertThat(s.region()).isEqualTo("ap-south-1");
    assertThat(
            S3Settings.fromEnvironment(
                    Map.of(
                        "AWS_ENDPOINT_URL",
                        "http://generic:1",
                        "AWS_ENDPOINT_URL_S3",
                        "http://s:2"))
                .endpoint())
        .isEqualTo(URI.create("http://s:2"));
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(
            () -> S3Settings.fromEnvironment(Map.of("AWS_ENDPOINT_URL", "localhost:9000")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("AWS_ENDPOINT_URL")
        .hasMessageContaining("http");
    assertThatThrownBy(
            () -> S3Settings.fromEnvironment(Map.of("ZARRSYNC_S3_ENDPOINT", "http://a b")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("ZARRSYNC_S3_ENDPOINT");
    assertThatThrownBy(() -> S3Settings.fromEnvironment(Map.of("ZARRSYNC_S3_PATH_STYLE", "yes")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("ZARRSYNC_S3_PATH_STYLE");
  }

  @Test
  void settingsAreCheckedAndNeverPrintTheSecret() {
    assertThatThrownBy(() -> S3Settings.defaults().withPageSize(0))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> S3Settings.defaults().withPageSize(1001))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> S3Settings.defaults().withCredentials("a", null))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> S3Settings.defaults().withRegion(" "))
        .isInstanceOf(InvalidConfigException.class);
    S3Settings s = S3Settings.defaults().withCredentials("AKIA123", "very-secret");
    assertThat(s.toString()).contains("AKIA123").doesNotContain("very-secret");
  }
}
