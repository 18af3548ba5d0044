package io.zarrsync.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.aws.testing.S3Notifications;
import io.zarrsync.core.SourceEvent;
import io.zarrsync.events.EventParser;
import io.zarrsync.events.ObjectEvent;
import io.zarrsync.service.RoutedEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3RoutesTest {
  private static final Instant T = Instant.parse("2024-03-05T10:15:30.123Z");

  private static ObjectEvent created(String bucket, String key, String sequencer) {
    return new ObjectEvent(
        bucket, key, SourceEvent.Kind.CREATED, sequencer, T, 5, "etag", "ObjectCreated:Put");
  }

  private static S3Routes routes() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("sst", "s3://data/incoming/sst");
    m.put("sst-copy", "s3://data/incoming/sst/");
    m.put("argo", "s3://argo-bucket");
    return S3Routes.of(m);
  }

  @Test
  void eventsGoToEveryCollectionWhoseSourceHoldsTheObjectWithRelativeKeys() {
    S3Routes.Routed r =
        routes()
            .route(
                List.of(
                    created("data", "incoming/sst/2024/0101.nc", "01"),
                    created("argo-bucket", "aoml/4902345/R4902345_017.nc", "02")));
    assertThat(r.events())
        .containsExactly(
            new RoutedEvent("sst", SourceEvent.created("2024/0101.nc")),
            new RoutedEvent("sst-copy", SourceEvent.created("2024/0101.nc")),
            new RoutedEvent("argo", SourceEvent.created("aoml/4902345/R4902345_017.nc")));
    assertThat(r.unmatched()).isEmpty();
  }

  @Test
  void otherBucketsAndPrefixesAreUnmatchedWithTheReason() {
    S3Routes.Routed r =
        routes()
            .route(
                List.of(
                    created("other", "incoming/sst/0101.nc", "01"),
                    created("data", "incoming/sst-v2/0101.nc", "02"),
                    created("data", "incoming/sst", "03")));
    assertThat(r.events()).isEmpty();
    assertThat(r.unmatched()).hasSize(3);
    assertThat(r.unmatched().get(0))
        .startsWith("s3://other/incoming/sst/0101.nc (ObjectCreated:Put) is in no collection's")
        .contains("not the source bucket");
    assertThat(r.unmatched().get(1)).contains("outside the source prefix");
  }

  @Test
  void keysThatWouldClimbOutOfTheSourceNeverBecomeEvents() {
    S3Routes.Routed r =
        routes()
            .route(
                List.of(
                    created("data", "incoming/sst/../other/x.nc", "01"),
                    created("data", "incoming/sst/./x.nc", "02"),
                    created("data", "incoming/sst//x.nc", "03"),
                    created("argo-bucket", "/etc/passwd", "04")));
    assertThat(r.events()).isEmpty();
    assertThat(r.unmatched()).hasSize(4).allMatch(s -> s.contains("unsafe key") || s.contains("/"));
    assertThat(String.join("\n", r.unmatched())).contains("'..' segment", "'.' segment");
  }

  @Test
  void encodedKeysFromARealMessageAreDecodedBeforeRouting() {
    String key = "incoming/sst/2024 01/température+été 100%.nc";
    String message =
        S3Notifications.created("data", key, 5, "etag", S3Notifications.sequencer(1), T);
    assertThat(message).contains("incoming/sst/2024+01/temp%C3%A9rature%2B%C3%A9t%C3%A9+100%25.nc");
    S3Routes.Routed r = routes().route(new EventParser().parse(message).events());
    assertThat(r.events())
        .extracting(RoutedEvent::event)
        .containsOnly(SourceEvent.created("2024 01/température+été 100%.nc"));
  }

  @Test
  void theLastEventOfAnObjectInAMessageWins() {
    ObjectEvent put = created("data", "incoming/sst/a.nc", "0065E6F1A2B3C4D5F2");
    ObjectEvent del =
        new ObjectEvent(
            "data",
            "incoming/sst/a.nc",
            SourceEvent.Kind.REMOVED,
            "0065E6F1A2B3C4D5F1",
            T,
            -1,
            null,
            "ObjectRemoved:Delete");
    S3Routes one = S3Routes.of(Map.of("sst", "s3://data/incoming/sst"));
    assertThat(one.route(List.of(put, del)).events())
        .containsExactly(new RoutedEvent("sst", SourceEvent.created("a.nc")));
  }

  @Test
  void aSourceThatIsNotAnS3LocationIsAConfigError() {
    assertThatThrownBy(() -> S3Routes.of(Map.of("sst", "/data/sst")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("not an S3 location");
    assertThatThrownBy(() -> S3Routes.of(Map.of("sst", "s3://data/a/../b")))
        .isInstanceOf(InvalidConfigException.class);
  }
}
