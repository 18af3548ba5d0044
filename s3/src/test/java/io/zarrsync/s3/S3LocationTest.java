package io.zarrsync.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3LocationTest {
  @Test
  void parsesBucketAndPrefix() {
    assertThat(S3Location.parse("s3://my-bucket")).isEqualTo(new S3Location("my-bucket", ""));
    assertThat(S3Location.parse("s3://my-bucket/")).isEqualTo(new S3Location("my-bucket", ""));
    assertThat(S3Location.parse("S3://my.bucket/a/b.zarr/"))
        .isEqualTo(new S3Location("my.bucket", "a/b.zarr/"));
    S3Location l = S3Location.parse("s3://b-1/with space/x+y");
    assertThat(l.prefix()).isEqualTo("with space/x+y/");
    assertThat(l.uri()).isEqualTo("s3://b-1/with space/x+y");
    assertThat(l.objectKey("k/0.0")).isEqualTo("with space/x+y/k/0.0");
    assertThat(l.relativeKey("with space/x+y/k")).isEqualTo("k");
    assertThat(l.relativeKey("with space/other")).isNull();
    assertThat(l.uriOf("with space/x+y/k")).isEqualTo("s3://b-1/with space/x+y/k");
    assertThat(S3Location.parse("s3://bucket").uri()).isEqualTo("s3://bucket");
  }

  @Test
  void recognisesS3Uris() {
    assertThat(S3Locations.isS3("s3://b/x")).isTrue();
    assertThat(S3Locations.isS3("S3://b")).isTrue();
    assertThat(S3Locations.isS3("/tmp/store.zarr")).isFalse();
    assertThat(S3Locations.isS3("s3:/b")).isFalse();
    assertThat(S3Locations.isS3("file://x")).isFalse();
    assertThat(S3Locations.isS3(null)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "s3://",
        "s3:///prefix",
        "s3://a/x",
        "s3://Upper/x",
        "s3://bad bucket/x",
        "s3://bucket/a//b",
        "s3://bucket/a/../b",
        "s3://bucket/./b",
        "s3://bucket/a\\b",
        "/local/path",
        "http://bucket/x"
      })
  void malformedLocationsAreConfigErrorsNamingTheLocation(String uri) {
    assertThatThrownBy(() -> S3Location.parse(uri))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("'");
    assertThatThrownBy(() -> S3Locations.store(uri, S3Settings.defaults()))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> S3Locations.source(uri, S3Settings.defaults()))
        .isInstanceOf(InvalidConfigException.class);
  }

  @Test
  void errorsSayWhatIsExpected() {
    assertThatThrownBy(() -> S3Location.parse("s3:///x"))
        .hasMessageContaining("names no bucket")
        .hasMessageContaining("s3://bucket/prefix");
    assertThatThrownBy(() -> S3Location.parse("s3://bucket/a/../b"))
        .hasMessageContaining("s3://bucket/a/../b")
        .hasMessageContaining("'..'");
    assertThatThrownBy(() -> S3Location.parse("s3://B/x"))
        .hasMessageContaining("'B' is not a valid");
  }
}
