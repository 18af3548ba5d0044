package io.zarrsync.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.zarrsync.core.SourceEvent.Kind;

/**
 * Reads an Amazon EventBridge event sent by S3 ({@code "source": "aws.s3"}), whose {@code
 * detail-type} says what happened and whose {@code detail} names the bucket and object.
 */
final class EventBridgeReader {
  private EventBridgeReader() {}

  static void read(JsonNode event, String where, Findings out, boolean keysEncoded) {
    String source = Json.requireText(event, "source", where);
    String detailType = Json.requireText(event, "detail-type", where);
    if (!source.equals("aws.s3")) {
      throw new Json.Problem(
          Findings.prefix(where)
              + "EventBridge event '"
              + detailType
              + "' comes from source '"
              + source
              + "', not aws.s3: check the EventBridge rule that routes events to this consumer");
    }
    JsonNode detail = Json.requireObject(event, "detail", where);
    String detailWhere = Json.path(where, "detail");
    Kind kind = EventTypes.eventBridgeKind(detailType);
    if (kind == null) {
      String what =
          EventTypes.eventBridgeKnownOther(detailType)
              ? "EventBridge event '" + detailType + "' neither creates nor removes an object"
              : "unknown EventBridge event '" + detailType + "'";
      out.ignore(
          Findings.prefix(where)
              + what
              + Findings.about(
                  Json.optionalText(detail, "bucket", "name"),
                  Json.optionalText(detail, "object", "key")));
      return;
    }
    out.addObject(
        detail,
        where,
        detailWhere,
        kind,
        () -> Json.instant(event, "time", where),
        () -> eventName(detailType, detail, detailWhere),
        keysEncoded,
        "etag");
  }

  /** "Object Deleted (Lifecycle Expiration, Delete Marker Created)" and the like. */
  private static String eventName(String detailType, JsonNode detail, String where) {
    String reason = Json.text(detail, "reason", where);
    String deletionType = Json.text(detail, "deletion-type", where);
    StringBuilder sb = new StringBuilder(detailType);
    if (reason != null || deletionType != null) {
      sb.append(" (");
      if (reason != null) {
        sb.append(reason);
      }
      if (deletionType != null) {
        sb.append(reason != null ? ", " : "").append(deletionType);
      }
      sb.append(')');
    }
    return sb.toString();
  }
}
