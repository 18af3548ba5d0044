package io.zarrsync.zarr;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes Zarr metadata JSON the way zarr-python 2 does ({@code json.dumps(indent=4,
 * sort_keys=True, ensure_ascii=True)}): sorted keys, 4-space indent, non-ASCII escaped, and NaN /
 * Infinity as the bare tokens Python's json module reads and writes.
 */
final class ZarrJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .build();

  private static final ObjectWriter WRITER = MAPPER.writer(prettyPrinter());

  private static final TypeReference<LinkedHashMap<String, Object>> MAP_TYPE =
      new TypeReference<>() {};

  private ZarrJson() {}

  private static DefaultPrettyPrinter prettyPrinter() {
    DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    return printer;
  }

  /** Serialises a JSON object (maps, lists, strings, numbers, booleans, null). */
  static byte[] write(Map<String, ?> object) {
    try {
      return lowerCaseEscapes(WRITER.writeValueAsBytes(object));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialise metadata to JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Jackson writes {@code \\u00E9}, Python {@code \\u00e9}: both are valid JSON, but matching
   * Python byte for byte keeps stores written by either tool identical.
   */
  private static byte[] lowerCaseEscapes(byte[] json) {
    int i = 0;
    while (i < json.length - 1) {
      if (json[i] != '\\') {
        i++;
        continue;
      }
      if (json[i + 1] == 'u') {
        for (int k = i + 2; k < Math.min(i + 6, json.length); k++) {
          if (json[k] >= 'A' && json[k] <= 'F') {
            json[k] = (byte) (json[k] + ('a' - 'A'));
          }
        }
      }
      i += 2; // past the escaped character, so an escaped backslash never starts an escape
    }
    return json;
  }

  /**
   * Parses a JSON object into the canonical form of {@link JsonValues}: integers as {@link Long}
   * (or {@link java.math.BigInteger}), other numbers as {@link Double}.
   *
   * @throws ZarrFormatException naming {@code key} if the bytes are not a JSON object
   */
  static Map<String, Object> read(byte[] json, String key) {
    try {
      Map<String, Object> map = MAPPER.readValue(json, MAP_TYPE);
      if (map == null) {
        throw new ZarrFormatException(key + ": expected a JSON object, got null");
      }
      return JsonValues.canonicalMap(map, key);
    } catch (IOException e) {
      throw new ZarrFormatException(key + ": not a JSON object: " + e.getMessage(), e);
    }
  }
}
