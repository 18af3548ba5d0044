package io.zarrsync.events;

import java.util.ArrayList;
import java.util.List;

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
