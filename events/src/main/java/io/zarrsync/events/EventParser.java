package io.zarrsync.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Turns one object-store notification message into {@link ObjectEvent}s. It recognises, by their
 * fields:
 *
 * <ul>
 *   <li>an S3 event notification ({@code {"Records":[{"eventSource":"aws:s3",...}]}}), as S3 sends
 *       it to an SQS queue, to SNS with raw message delivery, or to a Lambda function;
 *   <li>the S3 test message ({@code {"Service":"Amazon S3","Event":"s3:TestEvent",...}}): ignored;
 *   <li>an SNS notification envelope ({@code {"Type":"Notification","Message":"..."}}, what an SQS
 *       queue subscribed to a topic receives) and a Lambda SNS event ({@code
 *       {"Records":[{"EventSource":"aws:sns","Sns":{...}}]}}): the inner message is parsed again;
 *   <li>an EventBridge event from S3 ({@code {"detail-type":"Object Created","source":"aws.s3",
 *       ...}}).
 * </ul>
 *
 * <p>Anything else is a poison message: {@link #parse} throws {@link InvalidEventException} naming
 * what is wrong. Parts of a valid message that give no event (other event types, unsafe keys) are
 * listed in {@link ParsedMessage#ignored()} instead. docs/events.md has the full mapping.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class EventParser {
  /** SNS inside SNS is possible (topic to topic via SQS); more than this is a loop or an attack. */
  private static final int MAX_NESTING = 4;

  private static final int EXCERPT_CHARS = 200;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final boolean eventBridgeKeysEncoded;

  /** A parser that URL-decodes the object keys of EventBridge events as well (see below). */
  public EventParser() {
    this(true);
  }

  private EventParser(boolean eventBridgeKeysEncoded) {
    this.eventBridgeKeysEncoded = eventBridgeKeysEncoded;
  }

  /**
   * A parser that takes the object keys of EventBridge events URL-encoded ({@code true}, the
   * default, like S3 event notifications and like AWS Lambda Powertools reads them) or as they are
   * ({@code false}). The AWS documentation of the EventBridge format does not say; the keys of S3
   * event notifications are always decoded.
   */
  public EventParser withEventBridgeKeysEncoded(boolean encoded) {
    return new EventParser(encoded);
  }

  /**
   * Parses one message: an SQS message body, an SNS notification, a Lambda event or an EventBridge
   * event.
   *
   * @throws InvalidEventException when the message is not JSON, is none of the accepted formats, or
   *     lacks a field an event needs; the message says where and starts with an excerpt
   */
  public ParsedMessage parse(String message) {
    if (message == null || message.isBlank()) {
      throw new InvalidEventException(
          "Unusable event message: it is empty (expected an S3 event notification, an SNS"
              + " notification or an EventBridge event in JSON)");
    }
    Findings out = new Findings();
    try {
      parseDocument(message, "", 0, out);
    } catch (Json.Problem e) {
      throw new InvalidEventException(
          "Unusable event message: " + e.getMessage() + "; the message starts: " + excerpt(message),
          e.getCause());
    }
    return out.result();
  }

  private void parseDocument(String text, String where, int depth, Findings out) {
    if (depth > MAX_NESTING) {
      throw new Json.Problem(
          where + " nests messages more than " + MAX_NESTING + " deep (SNS in SNS in ...)");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new Json.Problem(
          (where.isEmpty() ? "it" : where)
              + " is not valid JSON: "
              + e.getOriginalMessage()
              + location(e),
          e);
    }
    if (root == null || root.isMissingNode()) {
      throw new Json.Problem((where.isEmpty() ? "it" : where) + " is empty");
    }
    dispatch(root, where, depth, out);
  }

  private void dispatch(JsonNode root, String where, int depth, Findings out) {
    String what = where.isEmpty() ? "the message" : where;
    if (!root.isObject()) {
      throw new Json.Problem(what + " is a JSON " + Json.kind(root) + ", not an object");
    }
    if (root.has("Records")) {
      records(root, where, depth, out);
    } else if (root.has("Event") && root.has("Service")) {
      serviceMessage(root, where, out);
    } else if (root.has("Type") && (root.has("Message") || root.has("TopicArn"))) {
      sns(root, where, depth, out);
    } else if (root.has("detail-type")) {
      EventBridgeReader.read(root, where, out, eventBridgeKeysEncoded);
    } else {
      throw new Json.Problem(
          what
              + " is not an S3 event notification (no 'Records'), an SNS notification (no 'Type'"
              + " and 'Message') or an EventBridge event (no 'detail-type'); its fields are "
              + fieldNames(root));
    }
  }

  private void records(JsonNode root, String where, int depth, Findings out) {
    JsonNode records = root.get("Records");
    String recordsWhere = Json.path(where, "Records");
    if (!records.isArray()) {
      throw new Json.Problem(recordsWhere + " is a JSON " + Json.kind(records) + ", not an array");
    }
    for (int i = 0; i < records.size(); i++) {
      JsonNode record = records.get(i);
      String rw = recordsWhere + "[" + i + "]";
      if (!record.isObject()) {
        throw new Json.Problem(rw + " is a JSON " + Json.kind(record) + ", not an object");
      }
      String source = Json.text(record, "eventSource", rw);
      if (source == null) {
        source = Json.text(record, "EventSource", rw);
      }
      if ("aws:sns".equals(source) || (source == null && record.has("Sns"))) {
        sns(Json.requireObject(record, "Sns", rw), Json.path(rw, "Sns"), depth, out);
      } else if ("aws:sqs".equals(source) || record.has("receiptHandle")) {
        throw new Json.Problem(
            rw
                + " is an SQS message of a Lambda batch: pass each record's 'body' to parse() on"
                + " its own, so that one bad message does not fail the others");
      } else if (record.has("s3") || record.has("eventName")) {
        S3RecordReader.read(record, rw, out);
      } else {
        throw new Json.Problem(
            rw
                + " is not an S3 event record (no 's3' or 'eventName') nor an SNS record; its"
                + " fields are "
                + fieldNames(record));
      }
    }
  }

  private static void serviceMessage(JsonNode root, String where, Findings out) {
    String event = Json.requireText(root, "Event", where);
    String service = Json.requireText(root, "Service", where);
    if (!event.equals("s3:TestEvent")) {
      throw new Json.Problem(
          (where.isEmpty() ? "the message" : where)
              + " is a '"
              + service
              + "' service message with an unknown Event '"
              + event
              + "' (only s3:TestEvent is expected)");
    }
    String bucket = Json.optionalText(root, "Bucket");
    out.ignore(
        Findings.prefix(where)
            + "s3:TestEvent"
            + (bucket == null ? "" : " for bucket " + bucket)
            + " (S3 sends it once when a notification is configured)");
  }

  private void sns(JsonNode envelope, String where, int depth, Findings out) {
    String type = Json.requireText(envelope, "Type", where);
    String topic = Json.optionalText(envelope, "TopicArn");
    switch (type) {
      case "Notification":
        String inner = Json.requireText(envelope, "Message", where);
        parseDocument(inner, Json.path(where, "Message"), depth + 1, out);
        return;
      case "SubscriptionConfirmation":
      case "UnsubscribeConfirmation":
        out.ignore(
            Findings.prefix(where)
                + "SNS "
                + type
                + " for topic "
                + topic
                + " is not an event (to confirm a subscription, visit its SubscribeURL)");
        return;
      default:
        throw new Json.Problem(
            Json.path(where, "Type")
                + " is '"
                + type
                + "', not an SNS Notification, SubscriptionConfirmation or"
                + " UnsubscribeConfirmation");
    }
  }

  private static String fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    Iterator<String> it = node.fieldNames();
    while (it.hasNext() && names.size() < 10) {
      names.add(it.next());
    }
    if (names.isEmpty()) {
      return "none";
    }
    return names + (it.hasNext() ? " and more" : "");
  }

  private static String location(JsonProcessingException e) {
    if (e.getLocation() == null) {
      return "";
    }
    return " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private static String excerpt(String message) {
    String flat = message.strip().replaceAll("\\s+", " ");
    String cut = flat.length() > EXCERPT_CHARS ? flat.substring(0, EXCERPT_CHARS) + "..." : flat;
    return KeySafety.quote(cut);
  }
}
