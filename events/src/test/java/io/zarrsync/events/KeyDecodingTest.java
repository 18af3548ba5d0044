package io.zarrsync.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zarrsync.core.SourceEvent.Kind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keys encoded the way S3 encodes them in notifications ({@code application/x-www-form-urlencoded},
 * here by {@link URLEncoder}, once with '/' escaped as older S3 messages have it and once with '/'
 * kept) come back from the parser unchanged.
 */
class KeyDecodingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "red+flower.jpg|red flower.jpg",
        "a%2Bb|a+b",
        "a%2bb|a+b",
        "caf%C3%A9|café",
        "%E6%B5%B7%E6%B8%A9|海温",
        "a%2Fb/c|a/b/c",
        "100%25|100%",
        "+++|'   '",
      })
  void decodesFormEncoding(String encoded, String decoded) {
    assertThat(FormUrlDecoder.decode(encoded)).isEqualTo(decoded);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "abc%|'%' at position 3 is not followed by two hexadecimal digits",
        "abc%4|'%' at position 3 is not followed by two hexadecimal digits",
        "%G1|'%' at position 0 is not followed by two hexadecimal digits",
        "%\uFF11\uFF11|'%' at position 0 is not followed by two hexadecimal digits",
        "%C3|its %-escapes are not valid UTF-8",
        "%FF%FE|its %-escapes are not valid UTF-8",
        "%ED%A0%80|its %-escapes are not valid UTF-8",
      })
  void refusesBrokenEscapesInsteadOfGuessing(String encoded, String problem) {
    assertThatThrownBy(() -> FormUrlDecoder.decode(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(problem);
  }

  @Property(tries = 500)
  void anySafeKeyEncodedLikeS3ComesBackFromTheParser(@ForAll("safeKeys") String key) {
    String escapedSlash = URLEncoder.encode(key, StandardCharsets.UTF_8);
    String keptSlash = escapedSlash.replace("%2F", "/");

    ParsedMessage m = new EventParser().parse(message(escapedSlash, keptSlash));

    assertThat(m.ignored()).isEmpty();
    assertThat(m.events()).extracting(ObjectEvent::key).containsExactly(key, key);
    assertThat(m.events()).extracting(ObjectEvent::kind).containsOnly(Kind.CREATED);
  }

  @Property(tries = 300)
  void aKeyWithAnUnsafeSegmentNeverComesOut(
      @ForAll("safeKeys") String safe, @ForAll("unsafeSegments") String bad) {
    String key = safe + "/" + bad + "/x.nc";

    ParsedMessage m =
        new EventParser().parse(message(URLEncoder.encode(key, StandardCharsets.UTF_8)));

    assertThat(m.events()).isEmpty();
    assertThat(m.ignored()).singleElement().asString().contains("unsafe key");
  }

  @Provide
  Arbitrary<String> safeKeys() {
    Arbitrary<String> unit =
        Arbitraries.oneOf(
            Arbitraries.chars().range(' ', '~').map(String::valueOf),
            Arbitraries.chars().range('\u00a0', '\u024f').map(String::valueOf),
            Arbitraries.chars().range('\u4e00', '\u4e40').map(String::valueOf),
            Arbitraries.integers().between(0x1F300, 0x1F64F).map(Character::toString),
            Arbitraries.of("+", " ", "%", "%2B", "%25", "&", "=", "é", "e\u0301"));
    Arbitrary<String> segment =
        unit.list()
            .ofMinSize(1)
            .ofMaxSize(10)
            .map(parts -> String.join("", parts))
            .map(s -> s.replace("/", "_"))
            .filter(s -> !s.equals(".") && !s.equals(".."));
    return segment.list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("/", parts));
  }

  @Provide
  Arbitrary<String> unsafeSegments() {
    return Arbitraries.of("..", ".", "", "a\u0000b");
  }

  /** An S3 notification with one ObjectCreated:Put record per encoded key. */
  private static String message(String... encodedKeys) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode records = root.putArray("Records");
    for (String encoded : List.of(encodedKeys)) {
      ObjectNode r = records.addObject();
      r.put("eventVersion", "2.1");
      r.put("eventSource", "aws:s3");
      r.put("awsRegion", "us-west-2");
      r.put("eventTime", "2024-03-05T10:15:30.123Z");
      r.put("eventName", "ObjectCreated:Put");
      ObjectNode s3 = r.putObject("s3");
      s3.put("s3SchemaVersion", "1.0");
      s3.putObject("bucket").put("name", "amzn-s3-demo-bucket");
      ObjectNode object = s3.putObject("object");
      object.put("key", encoded);
      object.put("size", 1);
      object.put("sequencer", "0065E6F1A2B3C4D5E6");
    }
    return root.toString();
  }
}
