package io.zarrsync.aws.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Event notification messages exactly as S3 sends them to an SQS queue (the layout of the events
 * module's fixtures {@code sqs-body-s3-direct.json} and {@code s3-test-event.json}): object keys
 * URL-encoded as {@code application/x-www-form-urlencoded} ('+' for a space, {@code %2B} for a '+',
 * UTF-8 escapes), '/' left as it is.
 */
public final class S3Notifications {
  private static final ObjectMapper JSON = new ObjectMapper();

  private S3Notifications() {}

  /** An {@code ObjectCreated:Put} of {@code key} (decoded) in {@code bucket}. */
  public static String created(
      String bucket, String key, long size, String etag, String sequencer, Instant time) {
    ObjectNode object = JSON.createObjectNode();
    object.put("key", encode(key));
    object.put("size", size);
    object.put("eTag", etag);
    object.put("sequencer", sequencer);
    return record("ObjectCreated:Put", bucket, object, time);
  }

  /** An {@code ObjectRemoved:Delete} of {@code key} (decoded) in {@code bucket}. */
  public static String removed(String bucket, String key, String sequencer, Instant time) {
    ObjectNode object = JSON.createObjectNode();
    object.put("key", encode(key));
    object.put("sequencer", sequencer);
    return record("ObjectRemoved:Delete", bucket, object, time);
  }

  /** A notification whose key is given as it appears in the message (already encoded). */
  public static String createdRawKey(String bucket, String rawKey, String sequencer, Instant time) {
    ObjectNode object = JSON.createObjectNode();
    object.put("key", rawKey);
    object.put("size", 1);
    object.put("eTag", "d41d8cd98f00b204e9800998ecf8427e");
    object.put("sequencer", sequencer);
    return record("ObjectCreated:Put", bucket, object, time);
  }

  /** The message S3 sends once when a notification is configured. */
  public static String testEvent(String bucket) {
    ObjectNode n = JSON.createObjectNode();
    n.put("Service", "Amazon S3");
    n.put("Event", "s3:TestEvent");
    n.put("Time", "2014-10-13T15:57:02.089Z");
    n.put("Bucket", bucket);
    n.put("RequestId", "5582815E1AEA5ADF");
    n.put("HostId", "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE");
    return n.toString();
  }

  /**
   * {@code message} inside an SNS notification envelope, as a queue subscribed to a topic gets it.
   */
  public static String snsWrapped(String message) {
    ObjectNode n = JSON.createObjectNode();
    n.put("Type", "Notification");
    n.put("MessageId", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324");
    n.put("TopicArn", "arn:aws:sns:us-west-2:123456789012:zarrsync-source-events");
    n.put("Subject", "Amazon S3 Notification");
    n.put("Message", message);
    n.put("Timestamp", "2024-03-05T10:15:30.456Z");
    n.put("SignatureVersion", "1");
    n.put(
        "Signature",
        "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=");
    n.put(
        "SigningCertURL",
        "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem");
    n.put(
        "UnsubscribeURL",
        "https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:123456789012:zarrsync-source-events:8a21d249-4329-4871-acc6-7be709c6ea7f");
    return n.toString();
  }

  /** S3's encoding of a key in notifications. */
  public static String encode(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
  }

  /** A hexadecimal sequencer like S3's, increasing with {@code n}. */
  public static String sequencer(long n) {
    return String.format("%018X", 0x0065E6F1A2B3C4D5L + n);
  }

  private static String record(String eventName, String bucket, ObjectNode object, Instant time) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode records = root.putArray("Records");
    ObjectNode r = records.addObject();
    r.put("eventVersion", "2.1");
    r.put("eventSource", "aws:s3");
    r.put("awsRegion", "us-west-2");
    r.put("eventTime", time.toString());
    r.put("eventName", eventName);
    r.putObject("userIdentity").put("principalId", "AWS:AIDAJDPLRKLG7UEXAMPLE");
    r.putObject("requestParameters").put("sourceIPAddress", "203.0.113.10");
    ObjectNode response = r.putObject("responseElements");
    response.put("x-amz-request-id", "C3D13FE58DE4C810");
    response.put("x-amz-id-2", "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD");
    ObjectNode s3 = r.putObject("s3");
    s3.put("s3SchemaVersion", "1.0");
    s3.put("configurationId", "zarrsync-source");
    ObjectNode b = s3.putObject("bucket");
    b.put("name", bucket);
    b.putObject("ownerIdentity").put("principalId", "A3NL1KOZZKExample");
    b.put("arn", "arn:aws:s3:::" + bucket);
    s3.set("object", object);
    return root.toString();
  }
}
