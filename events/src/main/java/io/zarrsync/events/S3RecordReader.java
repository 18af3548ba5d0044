package io.zarrsync.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.zarrsync.core.SourceEvent.Kind;

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
    out.addObject(
        s3,
        where,
        s3Where,
        kind,
        () -> Json.instant(record, "eventTime", where),
        () -> eventName,
        true,
        "eTag");
  }
}
