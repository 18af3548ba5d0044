package io.zarrsync.aws.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.s3.S3Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LambdaSettingsTest {
  @Test
  void readsTheConfigListTheLeaseWaitAndTheTaskRoot() {
    LambdaSettings s =
        LambdaSettings.fromEnvironment(
            Map.of(
                "ZARRSYNC_CONFIG", " collections/sst.yaml, s3://cfg/argo.yaml ,",
                "ZARRSYNC_LEASE_WAIT", "90s",
                "LAMBDA_TASK_ROOT", "/var/task"),
            S3Settings.defaults());
    assertThat(s.configs()).containsExactly("collections/sst.yaml", "s3://cfg/argo.yaml");
    assertThat(s.leaseWait()).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.leaseTtl()).isEqualTo(LambdaSettings.DEFAULT_LEASE_TTL);
    assertThat(s.taskRoot()).isEqualTo(Path.of("/var/task"));
  }

  @Test
  void defaultsAndDurationForms() {
    Map<String, String> env = Map.of("ZARRSYNC_CONFIG", "a.yaml");
    assertThat(LambdaSettings.fromEnvironment(env, S3Settings.defaults()).leaseWait())
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(LambdaSettings.duration(Map.of("X", "PT2M"), "X", Duration.ZERO))
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(LambdaSettings.duration(Map.of("X", "250ms"), "X", Duration.ZERO))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(LambdaSettings.duration(Map.of("X", "1h"), "X", Duration.ZERO))
        .isEqualTo(Duration.ofHours(1));
  }

  @Test
  void missingConfigAndBadDurationsNameTheVariable() {
    assertThatThrownBy(() -> LambdaSettings.fromEnvironment(Map.of(), S3Settings.defaults()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("ZARRSYNC_CONFIG");
    assertThatThrownBy(
            () ->
                LambdaSettings.fromEnvironment(
                    Map.of("ZARRSYNC_CONFIG", "a.yaml", "ZARRSYNC_LEASE_WAIT", "soon"),
                    S3Settings.defaults()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("ZARRSYNC_LEASE_WAIT")
        .hasMessageContaining("'soon'");
  }
}
