package io.zarrsync.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Field access that names the JSON path of whatever is missing or of the wrong type. */
final class Json {
  private Json() {}

  /** A problem with the message; {@link EventParser} turns it into an InvalidEventException. */
  static final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Problem(String message) {
      super(message);
    }

    Problem(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static String path(String where, String field) {
    return where.isEmpty() ? field : where + "." + field;
  }

  /** The text of {@code field}, or null when it is absent or JSON null. */
  static String text(JsonNode parent, String field, String where) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new Problem(path(where, field) + " is a JSON " + kind(node) + ", not a string");
    }
    return node.textValue();
  }

  static String requireText(JsonNode parent, String field, String where) {
    String text = text(parent, field, where);
    if (text == null) {
      throw new Problem(path(where, field) + " is missing");
    }
    return text;
  }

  static JsonNode requireObject(JsonNode parent, String field, String where) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      throw new Problem(path(where, field) + " is missing");
    }
    if (!node.isObject()) {
      throw new Problem(path(where, field) + " is a JSON " + kind(node) + ", not an object");
    }
    return node;
  }

  /** {@code parent.a.b...} as text, or null when any step is absent. */
  static String optionalText(JsonNode parent, String... fields) {
    JsonNode node = parent;
    for (String f : fields) {
      node = node == null ? null : node.get(f);
    }
    return node != null && node.isTextual() ? node.textValue() : null;
  }

  /** A size in bytes: a JSON integer or a string of digits; -1 when absent or anything else. */
  static long size(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null) {
      return -1;
    }
    if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
      return node.longValue();
    }
    if (node.isTextual() && node.textValue().matches("[0-9]{1,18}")) {
      return Long.parseLong(node.textValue());
    }
    return -1;
  }

  /** A required ISO-8601 instant such as {@code 1970-01-01T00:00:00.000Z}. */
  static Instant instant(JsonNode parent, String field, String where) {
    String text = requireText(parent, field, where);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new Problem(path(where, field) + " is not an ISO-8601 time: '" + text + "'", e);
    }
  }

  /** A sequencer if it is hexadecimal; anything else is treated as absent. */
  static String sequencer(JsonNode parent) {
    JsonNode node = parent.get("sequencer");
    String text = node != null && node.isTextual() ? node.textValue() : null;
    return ObjectEvent.isHex(text) ? text : null;
  }

  static String kind(JsonNode node) {
    switch (node.getNodeType()) {
      case ARRAY:
        return "array";
      case OBJECT:
        return "object";
      case STRING:
        return "string";
      case NUMBER:
        return "number";
      case BOOLEAN:
        return "boolean";
      case NULL:
        return "null";
      default:
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
