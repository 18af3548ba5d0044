package io.zarrsync.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.zarrsync.core.SourceEvent.Kind;
import java.time.Instant;

/**
 * Reads one entry of an S3 event notification's {@code Records} array (the format S3 sends to SQS,
 * SNS and Lambda). Its object key is URL-encoded.
 */
final class S3RecordReader {
  private S3RecordReader() {}

  static void read(JsonNode record, String where, Findings out) {
    String eventName = Json.requireText(record, "eventName", where);
    String name = EventTypes.s3Name(eventName);
    Kind kind = EventTypes.s3Kind(name);
    if (kind == null) {
      String what =
          EventTypes.s3KnownOther(name)
              ? "event " + eventName + " neither creates nor removes an object"
              : "unknown event " + eventName;
      out.ignore(
          Findings.prefix(where)
              + what
              + Findings.about(
                  Json.optionalText(record, "s3", "bucket", "name"),
                  Json.optionalText(record, "s3", "object", "key")));
      return;
    }
    JsonNode s3 = Json.requireObject(record, "s3", where);
    String s3Where = Json.path(where, "s3");
    String bucket =
        Json.requireText(Json.requireObject(s3, "bucket", s3Where), "name", s3Where + ".bucket");
    JsonNode object = Json.requireObject(s3, "object", s3Where);
    String objectWhere = s3Where + ".object";
    String rawKey = Json.requireText(object, "key", objectWhere);
    Instant time = Json.instant(record, "eventTime", where);
    String key = out.usableKey(rawKey, true, where, eventName, bucket);
    if (key == null) {
      return;
    }
    out.add(
        new ObjectEvent(
            bucket,
            key,
            kind,
            Json.sequencer(object),
            time,
            Json.size(object, "size"),
            Json.text(object, "eTag", objectWhere),
            eventName));
  }
}
