package io.zarrsync.core.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.core.layout.Rank;
import io.zarrsync.core.source.Fingerprint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a manifest document (checkpoint or delta) with Jackson's streaming parser: the entries are
 * most of a large store's manifest, and building a tree of them first doubles the cost of opening
 * the store. The schema, small, is read as a tree. A removed entry (in a delta) is a null value.
 */
final class ManifestParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();

  /** A parsed document, not yet checked or applied. */
  static final class Document {
    int format = -1;
    boolean delta;
    long seq;
    String time;
    String collection;
    String layout;
    String referenceKey;
    long nextRow;
    boolean hasSchema;
    JsonNode schema;
    final Map<String, IdentityState> identities = new LinkedHashMap<>();
    final Map<String, FileState> files = new LinkedHashMap<>();
    final Map<String, QuarantineState> quarantine = new LinkedHashMap<>();
  }

  private ManifestParser() {}

  static Document parse(byte[] bytes) throws IOException {
    Document d = new Document();
    try (JsonParser p = FACTORY.createParser(bytes)) {
      p.setCodec(JSON);
      expect(p.nextToken(), JsonToken.START_OBJECT, p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "format" -> d.format = p.getValueAsInt(-1);
          case "delta" -> d.delta = p.getValueAsBoolean();
          case "seq" -> d.seq = p.getValueAsLong();
          case "time" -> d.time = text(p);
          case "collection" -> d.collection = text(p);
          case "layout" -> d.layout = text(p);
          case "referenceKey" -> d.referenceKey = text(p);
          case "nextRow" -> d.nextRow = p.getValueAsLong();
          case "schema" -> {
            d.hasSchema = true;
            d.schema = t == JsonToken.VALUE_NULL ? null : p.readValueAsTree();
          }
          case "identities" -> entries(p, d.identities, ManifestParser::identity);
          case "files" -> entries(p, d.files, ManifestParser::file);
          case "quarantine" -> entries(p, d.quarantine, ManifestParser::quarantine);
          default -> p.skipChildren();
        }
      }
    }
    return d;
  }

  private interface EntryReader<T> {
    T read(JsonParser p) throws IOException;
  }

  private static <T> void entries(JsonParser p, Map<String, T> out, EntryReader<T> reader)
      throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    expect(p.currentToken(), JsonToken.START_OBJECT, p);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      out.put(key, p.nextToken() == JsonToken.VALUE_NULL ? null : reader.read(p));
    }
  }

  private static IdentityState identity(JsonParser p) throws IOException {
    expect(p.currentToken(), JsonToken.START_OBJECT, p);
    long row = 0;
    Version shown = null;
    int shownIndex = -1;
    List<Version> versions = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "row" -> row = p.getValueAsLong();
        case "shown" -> {
          if (t == JsonToken.VALUE_NUMBER_INT) {
            shownIndex = p.getIntValue(); // format 2: index into versions
          } else {
            shown = t == JsonToken.VALUE_NULL ? null : version(p);
          }
        }
        case "versions" -> {
          expect(t, JsonToken.START_ARRAY, p);
          while (p.nextToken() != JsonToken.END_ARRAY) {
            versions.add(version(p));
          }
        }
        default -> p.skipChildren();
      }
    }
    if (shownIndex >= 0) {
      if (shownIndex >= versions.size()) {
        throw new IOException(
            "shown version " + shownIndex + " of " + versions.size() + " at " + where(p));
      }
      return new IdentityState(row, versions, versions.get(shownIndex));
    }
    // format 1: share the shown version with its entry in versions: one object, not two
    int i = shown == null ? -1 : versions.indexOf(shown);
    return new IdentityState(row, versions, i < 0 ? shown : versions.get(i));
  }

  private static Version version(JsonParser p) throws IOException {
    expect(p.currentToken(), JsonToken.START_OBJECT, p);
    String key = null;
    int index = 0;
    List<Object> rank = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "key" -> key = text(p);
        case "index" -> index = p.getValueAsInt();
        case "rank" -> {
          expect(t, JsonToken.START_ARRAY, p);
          for (JsonToken c = p.nextToken(); c != JsonToken.END_ARRAY; c = p.nextToken()) {
            rank.add(rankComponent(p, c));
          }
        }
        default -> p.skipChildren();
      }
    }
    return new Version(key == null ? "" : key, index, new Rank(rank));
  }

  private static Object rankComponent(JsonParser p, JsonToken c) throws IOException {
    return switch (c) {
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT ->
          p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? p.getBigIntegerValue()
              : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      default ->
          throw new IOException(
              "rank component " + c + " is not a number or string at " + where(p));
    };
  }

  private static FileState file(JsonParser p) throws IOException {
    expect(p.currentToken(), JsonToken.START_OBJECT, p);
    Fingerprint fp = null;
    List<String> identities = List.of();
    List<String> missing = List.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "fingerprint" -> fp = fingerprint(p);
        case "identities" -> identities = strings(p);
        case "missing" -> missing = strings(p);
        default -> p.skipChildren();
      }
    }
    return new FileState(fp == null ? new Fingerprint(0, 0, "") : fp, identities, missing);
  }

  private static QuarantineState quarantine(JsonParser p) throws IOException {
    expect(p.currentToken(), JsonToken.START_OBJECT, p);
    Fingerprint fp = null;
    String reason = "";
    String since = "";
    long seq = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "fingerprint" -> fp = fingerprint(p);
        case "reason" -> reason = p.getValueAsString("");
        case "since" -> since = p.getValueAsString("");
        case "seq" -> seq = p.getValueAsLong();
        default -> p.skipChildren();
      }
    }
    return new QuarantineState(fp == null ? new Fingerprint(0, 0, "") : fp, reason, since, seq);
  }

  private static Fingerprint fingerprint(JsonParser p) throws IOException {
    expect(p.currentToken(), JsonToken.START_OBJECT, p);
    long size = 0;
    long mtime = 0;
    String etag = "";
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "size" -> size = p.getValueAsLong();
        case "mtime" -> mtime = p.getValueAsLong();
        case "etag" -> etag = p.getValueAsString("");
        default -> p.skipChildren();
      }
    }
    return new Fingerprint(size, mtime, etag);
  }

  private static List<String> strings(JsonParser p) throws IOException {
    expect(p.currentToken(), JsonToken.START_ARRAY, p);
    List<String> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      out.add(p.getValueAsString(""));
    }
    return out;
  }

  private static String text(JsonParser p) throws IOException {
    return p.currentToken() == JsonToken.VALUE_NULL ? null : p.getValueAsString();
  }

  private static void expect(JsonToken actual, JsonToken expected, JsonParser p)
      throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + expected + ", found " + actual + " at " + where(p));
    }
  }

  private static String where(JsonParser p) {
    return "offset " + p.currentLocation().getByteOffset();
  }
}
