package io.zarrsync.events;

import static io.zarrsync.core.SourceEvent.Kind.CREATED;
import static io.zarrsync.core.SourceEvent.Kind.REMOVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.api.ZarrsyncException;
import io.zarrsync.core.SourceEvent.Kind;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {
  private final EventParser parser = new EventParser();

  @Test
  void theAwsDocumentationPutExampleGivesOneCreatedEventWithAllItsFields() {
    ParsedMessage m = Fixtures.parse("s3-put-aws-example.json");

    assertThat(m.ignored()).isEmpty();
    assertThat(m.events())
        .containsExactly(
            new ObjectEvent(
                "mybucket",
                "HappyFace.jpg",
                CREATED,
                "0055AED6DCD90281E5",
                Instant.parse("1970-01-01T00:00:00Z"),
                1024,
                "d41d8cd98f00b204e9800998ecf8427e",
                "ObjectCreated:Put"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "ObjectCreated:Put, CREATED",
    "ObjectCreated:Post, CREATED",
    "ObjectCreated:Copy, CREATED",
    "ObjectCreated:CompleteMultipartUpload, CREATED",
    "ObjectRemoved:Delete, REMOVED",
    "ObjectRemoved:DeleteMarkerCreated, REMOVED",
    "LifecycleExpiration:Delete, REMOVED",
    "LifecycleExpiration:DeleteMarkerCreated, REMOVED",
    "ObjectRestore:Post, IGNORED",
    "ObjectRestore:Completed, IGNORED",
    "ObjectRestore:Delete, IGNORED",
    "ReducedRedundancyLostObject, IGNORED",
    "Replication:OperationFailedReplication, IGNORED",
    "Replication:OperationMissedThreshold, IGNORED",
    "Replication:OperationReplicatedAfterThreshold, IGNORED",
    "Replication:OperationNotTracked, IGNORED",
    "LifecycleTransition, IGNORED",
    "IntelligentTiering, IGNORED",
    "ObjectTagging:Put, IGNORED",
    "ObjectTagging:Delete, IGNORED",
    "ObjectAcl:Put, IGNORED",
  })
  void everyDocumentedS3EventTypeMapsToCreatedRemovedOrIgnored(String eventName, String expected) {
    ParsedMessage m = Fixtures.parse("s3-every-event-type.json");

    List<ObjectEvent> matching =
        m.events().stream().filter(e -> e.eventName().equals(eventName)).toList();
    List<String> reasons =
        m.ignored().stream().filter(r -> r.contains("event " + eventName + " ")).toList();
    if (expected.equals("IGNORED")) {
      assertThat(matching).isEmpty();
      assertThat(reasons)
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains("neither creates nor removes an object")
          .contains("bucket amzn-s3-demo-bucket");
    } else {
      assertThat(reasons).isEmpty();
      assertThat(matching)
          .singleElement()
          .extracting(ObjectEvent::kind)
          .isEqualTo(Kind.valueOf(expected));
    }
  }

  @Test
  void aMessageWithManyRecordsKeepsTheirOrderAndReportsEachIgnoredOne() {
    ParsedMessage m = Fixtures.parse("s3-every-event-type.json");

    assertThat(m.events())
        .extracting(ObjectEvent::key)
        .containsExactly(
            "ghrsst/20240101-OSTIA.nc",
            "ghrsst/20240102-OSTIA.nc",
            "ghrsst/20240103-OSTIA.nc",
            "ghrsst/20240104-OSTIA.nc",
            "ghrsst/20240105-OSTIA.nc",
            "ghrsst/20240106-OSTIA.nc",
            "ghrsst/20240107-OSTIA.nc",
            "ghrsst/20240108-OSTIA.nc");
    assertThat(m.ignored()).hasSize(13);
    assertThat(m.ignored().get(0))
        .isEqualTo(
            "Records[8]: event ObjectRestore:Post neither creates nor removes an object"
                + " (bucket amzn-s3-demo-bucket, key 'ghrsst/20240109-OSTIA.nc')");
    ObjectEvent multipart = m.events().get(3);
    assertThat(multipart.size()).isEqualTo(104857600L);
    assertThat(multipart.etag()).isEqualTo("9b2cf535f27731c974343645a3985328-20");
    ObjectEvent removal = m.events().get(4);
    assertThat(removal.size()).isEqualTo(-1);
    assertThat(removal.etag()).isNull();
    assertThat(removal.sequencer()).isEqualTo("0065E6F1A2B3C4D5EA");
  }

  @Test
  void anUnknownEventTypeIsIgnoredAndNamedNotAnError() {
    ParsedMessage m = Fixtures.parse("s3-unknown-event-type.json");

    assertThat(m.events()).isEmpty();
    assertThat(m.ignored())
        .containsExactly(
            "Records[0]: unknown event ObjectFuture:Example"
                + " (bucket amzn-s3-demo-bucket, key 'ghrsst/20240122-OSTIA.nc')");
  }

  @Test
  void eventNamesWithTheS3PrefixAsSomeS3CompatibleStoresSendThemAreUnderstood() {
    String json =
        Fixtures.read("s3-put-aws-example.json")
            .replace("\"ObjectCreated:Put\"", "\"s3:ObjectCreated:Put\"");

    ParsedMessage m = parser.parse(json);

    assertThat(m.events()).singleElement().extracting(ObjectEvent::kind).isEqualTo(CREATED);
    assertThat(m.events().get(0).eventName()).isEqualTo("s3:ObjectCreated:Put");
  }

  @Test
  void theS3TestEventGivesNoEventsAndIsReportedAsIgnored() {
    ParsedMessage m = Fixtures.parse("s3-test-event.json");

    assertThat(m.events()).isEmpty();
    assertThat(m.ignored())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("s3:TestEvent for bucket bucketname");
  }

  @Test
  void theS3TestEventThroughSnsIsIgnoredToo() {
    ParsedMessage m = Fixtures.parse("sns-test-event.json");

    assertThat(m.events()).isEmpty();
    assertThat(m.ignored())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("Message: s3:TestEvent for bucket bucketname");
  }

  @Test
  void urlEncodedKeysAreDecodedAsFormData() {
    ParsedMessage m = Fixtures.parse("s3-encoded-keys.json");

    assertThat(m.ignored()).isEmpty();
    assertThat(m.events())
        .extracting(ObjectEvent::key)
        .containsExactly(
            "red flower.jpg",
            "c++ notes.txt",
            "argo/café/R6901234_001.nc",
            "my data/2024/sst & ice.nc",
            "percent%sign.nc",
            "waves\uD83C\uDF0A.nc",
            "time=2024-01-01T00:00:00.nc");
  }

  @Test
  void unsafeOrUndecodableKeysAreRejectedWithTheirReasonAndTheRestOfTheMessageIsKept() {
    ParsedMessage m = Fixtures.parse("s3-unsafe-keys.json");

    assertThat(m.events()).extracting(ObjectEvent::key).containsExactly("data/ok.nc");
    assertThat(m.ignored())
        .containsExactly(
            "Records[0]: rejected ObjectCreated:Put in bucket amzn-s3-demo-bucket: unsafe key"
                + " '../../etc/passwd': it has a '..' segment",
            "Records[1]: rejected ObjectCreated:Put in bucket amzn-s3-demo-bucket: unsafe key"
                + " 'data/../secret.nc': it has a '..' segment",
            "Records[2]: rejected ObjectCreated:Put in bucket amzn-s3-demo-bucket: unsafe key"
                + " '/absolute.nc': it starts with '/'",
            "Records[3]: rejected ObjectCreated:Put in bucket amzn-s3-demo-bucket: unsafe key"
                + " 'nul\\u0000byte.nc': it contains a NUL character",
            "Records[4]: rejected ObjectCreated:Put in bucket amzn-s3-demo-bucket: unsafe key"
                + " 'data//double.nc': it has an empty path segment ('//' or a trailing '/')",
            "Records[5]: rejected ObjectCreated:Put in bucket amzn-s3-demo-bucket: unsafe key"
                + " 'folder/': it has an empty path segment ('//' or a trailing '/')",
            "Records[6]: rejected ObjectCreated:Put in bucket amzn-s3-demo-bucket: unsafe key"
                + " './here.nc': it has a '.' segment",
            "Records[7]: rejected ObjectCreated:Put in bucket amzn-s3-demo-bucket: key"
                + " 'bad%ZZescape.nc' is not URL-encoded correctly: '%' at position 3 is not"
                + " followed by two hexadecimal digits",
            "Records[8]: rejected ObjectCreated:Put in bucket amzn-s3-demo-bucket: key"
                + " 'bad%C3%28utf8.nc' is not URL-encoded correctly: its %-escapes are not valid"
                + " UTF-8");
  }

  @Test
  void anSnsNotificationIsUnwrappedAndItsS3MessageParsed() {
    ParsedMessage m = Fixtures.parse("sns-s3-put.json");

    assertThat(m.ignored()).isEmpty();
    assertThat(m.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.key()).isEqualTo("sst/20240101 OSTIA v2.nc");
              assertThat(e.kind()).isEqualTo(CREATED);
              assertThat(e.size()).isEqualTo(4096);
              assertThat(e.sequencer()).isEqualTo("0065E6F1A2B3C4D5F0");
            });
  }

  @Test
  void anSqsBodyFromS3DirectlyOrWithRawDeliveryIsTheS3Message() {
    ParsedMessage m = Fixtures.parse("sqs-body-s3-direct.json");

    assertThat(m.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.key()).isEqualTo("argo/aoml/4902345/profiles/R4902345_017.nc");
              assertThat(e.kind()).isEqualTo(REMOVED);
              assertThat(e.eventTime()).isEqualTo(Instant.parse("2024-03-05T10:16:02.512Z"));
            });
  }

  @Test
  void anSqsBodyFromAnSnsSubscriptionIsTheEnvelopeAndAllItsRecordsAreRead() {
    ParsedMessage m = Fixtures.parse("sqs-body-sns-envelope.json");

    assertThat(m.events())
        .extracting(ObjectEvent::key, ObjectEvent::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "argo/aoml/4902345/profiles/D4902345_017.nc", CREATED),
            org.assertj.core.groups.Tuple.tuple(
                "argo/aoml/4902345/profiles/R4902345_017.nc", REMOVED));
  }

  @Test
  void aLambdaInvokedByS3GetsTheS3FormatAndALambdaInvokedBySnsGetsItWrapped() {
    ParsedMessage direct = Fixtures.parse("lambda-s3-event.json");
    ParsedMessage viaSns = Fixtures.parse("lambda-sns-event.json");

    assertThat(direct.events()).extracting(ObjectEvent::kind).containsExactly(CREATED, REMOVED);
    assertThat(viaSns.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.key()).isEqualTo("ghrsst/2024/03/20240305 OSTIA.nc");
              assertThat(e.eventName()).isEqualTo("ObjectCreated:CompleteMultipartUpload");
            });
  }

  @Test
  void aLambdaSqsBatchIsRefusedSoThatEachBodyIsParsedOnItsOwn() {
    assertThatThrownBy(() -> Fixtures.parse("lambda-sqs-batch.json"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("Records[0] is an SQS message of a Lambda batch")
        .hasMessageContaining("pass each record's 'body' to parse()");
  }

  @Test
  void anSnsSubscriptionConfirmationIsIgnoredWithAHint() {
    ParsedMessage m = Fixtures.parse("sns-subscription-confirmation.json");

    assertThat(m.events()).isEmpty();
    assertThat(m.ignored())
        .containsExactly(
            "SNS SubscriptionConfirmation for topic"
                + " arn:aws:sns:us-west-2:123456789012:zarrsync-source-events is not an event (to"
                + " confirm a subscription, visit its SubscribeURL)");
  }

  @Test
  void theEventBridgeObjectCreatedExampleGivesACreatedEvent() {
    ParsedMessage m = Fixtures.parse("eventbridge-object-created.json");

    assertThat(m.ignored()).isEmpty();
    assertThat(m.events())
        .containsExactly(
            new ObjectEvent(
                "DOC-EXAMPLE-BUCKET1",
                "example-key",
                CREATED,
                "617f08299329d189",
                Instant.parse("2021-11-12T00:00:00Z"),
                5,
                "b1946ac92492d2347c6235b4d2611184",
                "Object Created (PutObject)"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "eventbridge-object-deleted-marker.json, 'Object Deleted (DeleteObject, Delete Marker Created)',"
        + " 617f0837b476e463",
    "eventbridge-object-deleted-permanently.json, 'Object Deleted (DeleteObject, Permanently"
        + " Deleted)', 617f0837b476e46a",
    "eventbridge-lifecycle-expiration.json, 'Object Deleted (Lifecycle Expiration, Delete Marker"
        + " Created)', 617b398000000000",
  })
  void everyEventBridgeObjectDeletedIsARemoval(String fixture, String name, String sequencer) {
    ParsedMessage m = Fixtures.parse(fixture);

    assertThat(m.ignored()).isEmpty();
    assertThat(m.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(REMOVED);
              assertThat(e.key()).isEqualTo("example-key");
              assertThat(e.eventName()).isEqualTo(name);
              assertThat(e.sequencer()).isEqualTo(sequencer);
              assertThat(e.size()).isEqualTo(-1);
            });
  }

  @Test
  void otherEventBridgeDetailTypesAreIgnored() {
    ParsedMessage m = Fixtures.parse("eventbridge-restore-completed.json");

    assertThat(m.events()).isEmpty();
    assertThat(m.ignored())
        .containsExactly(
            "EventBridge event 'Object Restore Completed' neither creates nor removes an object"
                + " (bucket DOC-EXAMPLE-BUCKET1, key 'example-key')");
  }

  @Test
  void eventBridgeKeysAreDecodedByDefaultAndCanBeTakenAsTheyAre() {
    String json = Fixtures.read("eventbridge-encoded-key.json");

    assertThat(parser.parse(json).events())
        .extracting(ObjectEvent::key)
        .containsExactly("my data/café +1.nc");
    assertThat(parser.withEventBridgeKeysEncoded(false).parse(json).events())
        .extracting(ObjectEvent::key)
        .containsExactly("my+data/caf%C3%A9+%2B1.nc");
  }

  @Test
  void anEventBridgeEventFromAnotherServiceIsAPoisonMessage() {
    assertThatThrownBy(() -> Fixtures.parse("eventbridge-other-source.json"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining(
            "EventBridge event 'EC2 Instance State-change Notification' comes from source"
                + " 'aws.ec2', not aws.s3");
  }

  @Test
  void jsonThatIsNoEventIsAPoisonMessageNamingItsFields() {
    assertThatThrownBy(() -> Fixtures.parse("not-an-event.json"))
        .isInstanceOf(InvalidEventException.class)
        .isInstanceOf(ZarrsyncException.class)
        .hasMessageStartingWith(
            "Unusable event message: the message is not an S3 event notification (no 'Records'),"
                + " an SNS notification (no 'Type' and 'Message') or an EventBridge event (no"
                + " 'detail-type'); its fields are [alarmName, state, previousState]; the message"
                + " starts: '{ \"alarmName\": \"zarrsync-lag\",");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "``| it is empty",
        "`   `| it is empty",
        "{| it is not valid JSON: Unexpected end-of-input",
        "not json| it is not valid JSON: Unrecognized token 'not'",
        "{\"Records\": [| it is not valid JSON: Unexpected end-of-input",
        "{} {}| it is not valid JSON: Trailing token",
        "{\"Records\": [], \"Records\": []}| it is not valid JSON: Duplicate field 'Records'",
        "null| the message is a JSON null, not an object",
        "42| the message is a JSON number, not an object",
        "[{\"eventName\": \"ObjectCreated:Put\"}]| the message is a JSON array, not an object",
        "{\"Records\": {}}| Records is a JSON object, not an array",
        "{\"Records\": [\"x\"]}| Records[0] is a JSON string, not an object",
        "{\"Records\": [{\"foo\": 1}]}| Records[0] is not an S3 event record",
        "{\"Records\": [{\"eventName\": \"ObjectCreated:Put\"}]}| Records[0].s3 is missing",
        "{\"Records\": [{\"eventName\": 7, \"s3\": {}}]}| Records[0].eventName is a JSON number,"
            + " not a string",
        "{\"Service\": \"Amazon S3\", \"Event\": \"s3:Other\"}| is a 'Amazon S3' service message"
            + " with an unknown Event 's3:Other'",
        "{\"Type\": \"Notification\", \"Message\": \"hello\"}| Message is not valid JSON",
        "{\"Type\": \"Notification\", \"TopicArn\": \"t\"}| Message is missing",
        "{\"Type\": \"Gossip\", \"Message\": \"{}\"}| Type is 'Gossip', not an SNS Notification",
        "{\"detail-type\": \"Object Created\", \"source\": \"aws.s3\"}| detail is missing",
      })
  void malformedMessagesThrowInvalidEventExceptionSayingWhatIsWrong(String json, String problem) {
    assertThatThrownBy(() -> parser.parse(json))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("Unusable event message: ")
        .hasMessageContaining(problem);
  }

  @Test
  void aRecordWithoutItsKeyOrWithABadTimeIsAPoisonMessage() {
    String json = Fixtures.read("s3-put-aws-example.json");

    assertThatThrownBy(() -> parser.parse(json.replace("\"key\"", "\"kee\"")))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("Records[0].s3.object.key is missing");
    assertThatThrownBy(
            () -> parser.parse(json.replace("1970-01-01T00:00:00.000Z", "yesterday at noon")))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("Records[0].eventTime is not an ISO-8601 time: 'yesterday at noon'");
  }

  @Test
  void aPoisonRecordInsideAnSnsEnvelopeIsNamedWithItsPath() {
    String inner = "{\"Records\":[{\"eventName\":\"ObjectRemoved:Delete\",\"s3\":{}}]}";
    String envelope =
        "{\"Type\":\"Notification\",\"Message\":" + quoteJson(inner) + ",\"TopicArn\":\"t\"}";

    assertThatThrownBy(() -> parser.parse(envelope))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("Message.Records[0].s3.bucket is missing");
  }

  @Test
  void snsEnvelopesNestedTooDeepAreRefused() {
    String message = Fixtures.read("s3-test-event.json");
    for (int i = 0; i < 5; i++) {
      message = "{\"Type\":\"Notification\",\"Message\":" + quoteJson(message) + "}";
    }
    String nested = message;

    assertThatThrownBy(() -> parser.parse(nested))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("nests messages more than 4 deep");
  }

  @Test
  void fourLevelsOfSnsAreStillAccepted() {
    String message = Fixtures.read("s3-test-event.json");
    for (int i = 0; i < 4; i++) {
      message = "{\"Type\":\"Notification\",\"Message\":" + quoteJson(message) + "}";
    }

    assertThat(parser.parse(message).ignored())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("Message.Message.Message.Message: s3:TestEvent");
  }

  @Test
  void theExcerptOfALongMessageIsCut() {
    String longJunk = "{\"junk\": \"" + "x".repeat(1000) + "\"}";

    assertThatThrownBy(() -> parser.parse(longJunk))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageEndingWith("x...'")
        .message()
        .hasSizeLessThan(600);
  }

  private static String quoteJson(String s) {
    return s.chars()
        .mapToObj(
            c ->
                switch (c) {
                  case '"' -> "\\\"";
                  case '\\' -> "\\\\";
                  case '\n' -> "\\n";
                  default -> String.valueOf((char) c);
                })
        .collect(Collectors.joining("", "\"", "\""));
  }
}
