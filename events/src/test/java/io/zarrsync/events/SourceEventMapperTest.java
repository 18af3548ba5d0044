package io.zarrsync.events;

import static io.zarrsync.core.SourceEvent.Kind.CREATED;
import static io.zarrsync.core.SourceEvent.Kind.REMOVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.core.SourceEvent;
import io.zarrsync.core.SourceEvent.Kind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceEventMapperTest {
  @Test
  void keysBecomeRelativeToThePrefixAndOtherBucketsAndPrefixesAreDropped() {
    List<ObjectEvent> events =
        List.of(
            event("data", "argo/a/R1.nc", CREATED),
            event("data", "argonaut/x.nc", CREATED),
            event("elsewhere", "argo/a/R2.nc", REMOVED),
            event("data", "argo/a/D1.nc", REMOVED));

    MappedEvents mapped = SourceEventMapper.toSourceEvents(events, "data", "argo");

    assertThat(mapped.events())
        .containsExactly(SourceEvent.created("a/R1.nc"), SourceEvent.removed("a/D1.nc"));
    assertThat(mapped.dropped())
        .containsExactly(
            "ObjectCreated:Put of 'argonaut/x.nc': outside the source prefix 'argo/'",
            "ObjectRemoved:Delete of 'argo/a/R2.nc': bucket elsewhere is not the source bucket"
                + " data");
  }

  @Test
  void aPrefixWithATrailingSlashMeansTheSame() {
    List<ObjectEvent> events = List.of(event("data", "argo/a/R1.nc", CREATED));

    assertThat(SourceEventMapper.toSourceEvents(events, "data", "argo/").events())
        .isEqualTo(SourceEventMapper.toSourceEvents(events, "data", "argo").events());
  }

  @Test
  void anEmptyOrNullPrefixIsTheWholeBucket() {
    List<ObjectEvent> events = List.of(event("data", "argo/a/R1.nc", CREATED));

    assertThat(SourceEventMapper.toSourceEvents(events, "data", "").events())
        .containsExactly(SourceEvent.created("argo/a/R1.nc"));
    assertThat(SourceEventMapper.toSourceEvents(events, "data", null).events())
        .containsExactly(SourceEvent.created("argo/a/R1.nc"));
  }

  @Test
  void aPrefixWithSpacesMatchesTheDecodedKeys() {
    ParsedMessage m = Fixtures.parse("s3-encoded-keys.json");

    MappedEvents mapped =
        SourceEventMapper.toSourceEvents(m.events(), "amzn-s3-demo-bucket", "my data");

    assertThat(mapped.events()).containsExactly(SourceEvent.created("2024/sst & ice.nc"));
    assertThat(mapped.dropped()).hasSize(6);
  }

  @Test
  void aRelativeKeyThatIsEmptyOrUnsafeIsDropped() {
    // Events made by other code than the parser are checked again after the prefix is cut.
    List<ObjectEvent> events =
        List.of(event("data", "argo/", CREATED), event("data", "argo/../secret.nc", CREATED));

    MappedEvents mapped = SourceEventMapper.toSourceEvents(events, "data", "argo");

    assertThat(mapped.events()).isEmpty();
    assertThat(mapped.dropped())
        .containsExactly(
            "ObjectCreated:Put of 'argo/': unsafe key '': it is empty",
            "ObjectCreated:Put of 'argo/../secret.nc': unsafe key '../secret.nc': it has a '..'"
                + " segment");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/argo", "argo/../x", "./argo", "argo//x", "//"})
  void anUnsafePrefixIsAConfigurationError(String prefix) {
    assertThatThrownBy(() -> SourceEventMapper.toSourceEvents(List.of(), "data", prefix))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("source prefix '" + prefix + "' cannot be used");
  }

  @Test
  void fromAnSqsBodyToEngineHints() {
    ParsedMessage m = Fixtures.parse("sqs-body-sns-envelope.json");

    MappedEvents mapped =
        SourceEventMapper.toSourceEvents(
            EventOrder.latestPerKey(m.events()), "amzn-s3-demo-bucket", "argo/aoml");

    assertThat(mapped.dropped()).isEmpty();
    assertThat(mapped.events())
        .containsExactly(
            SourceEvent.created("4902345/profiles/D4902345_017.nc"),
            SourceEvent.removed("4902345/profiles/R4902345_017.nc"));
  }

  private static ObjectEvent event(String bucket, String key, Kind kind) {
    return new ObjectEvent(
        bucket,
        key,
        kind,
        null,
        Instant.parse("2024-03-05T10:00:00Z"),
        -1,
        null,
        kind == CREATED ? "ObjectCreated:Put" : "ObjectRemoved:Delete");
  }
}
