package io.zarrsync.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.zarrsync.core.SourceEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Collects the events and the ignored parts of one message while it is read. */
final class Findings {
  private final List<ObjectEvent> events = new ArrayList<>();
  private final List<String> ignored = new ArrayList<>();

  void add(ObjectEvent event) {
    events.add(event);
  }

  void ignore(String reason) {
    ignored.add(reason);
  }

  /**
   * Decodes (when {@code encoded}) and checks a key. Returns null after recording why when the key
   * cannot be used, so that one bad key does not cost the other events of the message.
   */
  String usableKey(String raw, boolean encoded, String where, String eventName, String bucket) {
    String key;
    if (encoded) {
      try {
        key = FormUrlDecoder.decode(raw);
      } catch (IllegalArgumentException e) {
        ignore(
            prefix(where)
                + "rejected "
                + eventName
                + " in bucket "
                + bucket
                + ": key "
                + KeySafety.quote(raw)
                + " is not URL-encoded correctly: "
                + e.getMessage());
        return null;
      }
    } else {
      key = raw;
    }
    String problem = KeySafety.problem(key);
    if (problem != null) {
      ignore(
          prefix(where)
              + "rejected "
              + eventName
              + " in bucket "
              + bucket
              + ": unsafe key "
              + KeySafety.quote(key)
              + ": "
              + problem);
      return null;
    }
    return key;
  }

  /**
   * Adds the event of an object notification whose {@code container} (an S3 record's {@code s3}, an
   * EventBridge event's {@code detail}) holds {@code bucket.name} and {@code object} with {@code
   * key}, {@code sequencer}, {@code size} and the entity tag under {@code etagField}; an unusable
   * key is recorded as ignored instead. Fields are checked in that order, then the event's time and
   * name are read.
   */
  void addObject(
      JsonNode container,
      String where,
      String containerWhere,
      SourceEvent.Kind kind,
      Supplier<Instant> timeOf,
      Supplier<String> eventNameOf,
      boolean keysEncoded,
      String etagField) {
    String bucket =
        Json.requireText(
            Json.requireObject(container, "bucket", containerWhere),
            "name",
            containerWhere + ".bucket");
    JsonNode object = Json.requireObject(container, "object", containerWhere);
    String objectWhere = containerWhere + ".object";
    String rawKey = Json.requireText(object, "key", objectWhere);
    Instant time = timeOf.get();
    String eventName = eventNameOf.get();
    String key = usableKey(rawKey, keysEncoded, where, eventName, bucket);
    if (key == null) {
      return;
    }
    add(
        new ObjectEvent(
            bucket,
            key,
            kind,
            Json.sequencer(object),
            time,
            Json.size(object, "size"),
            Json.text(object, etagField, objectWhere),
            eventName));
  }

  /** " (bucket b, key 'k')" as far as they are known, for the reasons of ignored events. */
  static String about(String bucket, String rawKey) {
    if (bucket == null && rawKey == null) {
      return "";
    }
    return " (bucket "
        + bucket
        + ", key "
        + (rawKey == null ? "none" : KeySafety.quote(rawKey))
        + ")";
  }

  static String prefix(String where) {
    return where.isEmpty() ? "" : where + ": ";
  }

  ParsedMessage result() {
    return new ParsedMessage(events, ignored);
  }
}
