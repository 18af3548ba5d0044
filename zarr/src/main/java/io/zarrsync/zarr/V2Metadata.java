package io.zarrsync.zarr;

import io.zarrsync.api.DataType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The Zarr v2 {@code .zarray} / {@code .zattrs} JSON of an array, both ways. */
final class V2Metadata {
  static final String VLEN_UTF8 = "vlen-utf8";

  private V2Metadata() {}

  /** The {@code .zarray} object. */
  static Map<String, Object> toZarray(StoredArray array) {
    ArrayMetadata m = array.metadata();
    Map<String, Object> out = new TreeMap<>();
    out.put("zarr_format", 2L);
    out.put("shape", m.shape());
    out.put("chunks", m.chunks());
    out.put("dtype", dtype(m.dataType(), m.stringLength()));
    out.put("fill_value", encodeFill(m));
    out.put("order", "C");
    out.put("compressor", encodeCompressor(m.compressor()));
    out.put("filters", m.dataType() == DataType.STRING ? List.of(Map.of("id", VLEN_UTF8)) : null);
    if (!array.separator().equals(".")) {
      out.put("dimension_separator", array.separator());
    }
    return out;
  }

  /** The {@code .zattrs} object: the attributes plus {@code _ARRAY_DIMENSIONS}. */
  static Map<String, Object> toZattrs(ArrayMetadata m) {
    return m.attributesWithDimensions();
  }

  static String dtype(DataType type, int stringLength) {
    return switch (type) {
      case BYTE -> "|i1";
      case UBYTE -> "|u1";
      case SHORT -> "<i2";
      case USHORT -> "<u2";
      case INT -> "<i4";
      case UINT -> "<u4";
      case LONG -> "<i8";
      case ULONG -> "<u8";
      case FLOAT -> "<f4";
      case DOUBLE -> "<f8";
      case CHAR -> "|S" + Math.max(1, stringLength);
      case STRING -> "|O";
    };
  }

  private static Object encodeFill(ArrayMetadata m) {
    Object fill = m.fillValue();
    if (fill == null) {
      return null;
    }
    return switch (m.dataType()) {
      case FLOAT, DOUBLE -> {
        double d = (Double) fill;
        if (Double.isNaN(d)) {
          yield "NaN";
        } else if (d == Double.POSITIVE_INFINITY) {
          yield "Infinity";
        } else if (d == Double.NEGATIVE_INFINITY) {
          yield "-Infinity";
        }
        yield d;
      }
      // zarr-python stores bytes fill values as base64 of the bytes without NUL padding.
      case CHAR ->
          Base64.getEncoder().encodeToString(((String) fill).getBytes(StandardCharsets.ISO_8859_1));
      default -> fill;
    };
  }

  private static Object encodeCompressor(Codec codec) {
    if (codec.isNone()) {
      return null;
    }
    Map<String, Object> out = new TreeMap<>();
    out.put("id", codec.id());
    out.put("level", (long) codec.level());
    return out;
  }

  /**
   * Parses an array's {@code .zarray} and {@code .zattrs} ({@code null} if absent).
   *
   * @throws ZarrFormatException naming the key if the metadata is malformed or unsupported
   */
  static StoredArray parse(String name, Map<String, Object> zarray, Map<String, Object> zattrs) {
    String key = name + "/.zarray";
    try {
      Object format = zarray.get("zarr_format");
      if (!(format instanceof Number n) || n.longValue() != 2) {
        throw new ZarrFormatException(key + ": zarr_format is " + format + ", expected 2");
      }
      List<Long> shape = longList(zarray.get("shape"), key, "shape");
      List<Integer> chunks = new ArrayList<>();
      for (Long c : longList(zarray.get("chunks"), key, "chunks")) {
        if (c < 1 || c > Integer.MAX_VALUE) {
          throw new ZarrFormatException(key + ": chunk extent " + c + " out of range");
        }
        chunks.add(c.intValue());
      }
      Object order = zarray.get("order");
      if (order != null && !"C".equals(order)) {
        throw new ZarrFormatException(key + ": order " + order + " is not supported, only C");
      }
      Object dtypeValue = zarray.get("dtype");
      if (!(dtypeValue instanceof String dtype)) {
        throw new ZarrFormatException(
            key + ": dtype " + dtypeValue + " is not supported (structured dtypes are not)");
      }
      DataType type = parseType(dtype, key);
      int stringLength = type == DataType.CHAR ? parseStringLength(dtype, key) : 0;
      checkFilters(zarray.get("filters"), type, key);
      Codec codec = parseCompressor(zarray.get("compressor"), key);
      Object fill = decodeFill(zarray.get("fill_value"), type, key);
      String separator = ".";
      Object sep = zarray.get("dimension_separator");
      if (sep != null) {
        if (!".".equals(sep) && !"/".equals(sep)) {
          throw new ZarrFormatException(key + ": dimension_separator " + sep + " is not . or /");
        }
        separator = (String) sep;
      }
      Map<String, Object> attributes = new LinkedHashMap<>();
      List<String> dimensions = List.of();
      if (zattrs != null) {
        attributes.putAll(zattrs);
        Object dims = attributes.remove(ArrayMetadata.DIMENSIONS_ATTRIBUTE);
        if (dims != null) {
          dimensions = stringList(dims, name + "/.zattrs", ArrayMetadata.DIMENSIONS_ATTRIBUTE);
        }
        if (!dimensions.isEmpty() && dimensions.size() != shape.size()) {
          throw new ZarrFormatException(
              name
                  + "/.zattrs: "
                  + ArrayMetadata.DIMENSIONS_ATTRIBUTE
                  + " "
                  + dimensions
                  + " does not match shape "
                  + shape);
        }
      }
      ArrayMetadata metadata =
          new ArrayMetadata(shape, chunks, type, stringLength, fill, codec, dimensions, attributes);
      return new StoredArray(metadata, separator);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new ZarrFormatException(key + ": " + e.getMessage(), e);
    }
  }

  static DataType parseType(String dtype, String key) {
    if (dtype.length() < 2 || "<>|".indexOf(dtype.charAt(0)) < 0) {
      throw new ZarrFormatException(key + ": dtype " + dtype + " is not supported");
    }
    String kind = dtype.substring(1);
    if (kind.startsWith("S")) {
      return DataType.CHAR;
    }
    if (dtype.charAt(0) == '>' && !kind.equals("i1") && !kind.equals("u1")) {
      throw new ZarrFormatException(key + ": big-endian dtype " + dtype + " is not supported");
    }
    DataType type =
        switch (kind) {
          case "i1" -> DataType.BYTE;
          case "u1" -> DataType.UBYTE;
          case "i2" -> DataType.SHORT;
          case "u2" -> DataType.USHORT;
          case "i4" -> DataType.INT;
          case "u4" -> DataType.UINT;
          case "i8" -> DataType.LONG;
          case "u8" -> DataType.ULONG;
          case "f4" -> DataType.FLOAT;
          case "f8" -> DataType.DOUBLE;
          case "O" -> DataType.STRING;
          default -> null;
        };
    if (type == null) {
      throw new ZarrFormatException(key + ": dtype " + dtype + " is not supported");
    }
    return type;
  }

  private static int parseStringLength(String dtype, String key) {
    int n;
    try {
      n = Integer.parseInt(dtype.substring(dtype.indexOf('S') + 1));
    } catch (NumberFormatException e) {
      throw new ZarrFormatException(key + ": dtype " + dtype + " has no valid length", e);
    }
    if (n < 1) {
      throw new ZarrFormatException(key + ": dtype " + dtype + " has no valid length");
    }
    return n == 1 ? 0 : n;
  }

  private static void checkFilters(Object filters, DataType type, String key) {
    List<?> list = filters == null ? List.of() : asList(filters, key, "filters");
    if (type == DataType.STRING) {
      if (list.size() != 1
          || !(list.get(0) instanceof Map<?, ?> f)
          || !VLEN_UTF8.equals(f.get("id"))) {
        throw new ZarrFormatException(
            key + ": object arrays are supported with the vlen-utf8 filter only, got " + filters);
      }
    } else if (!list.isEmpty()) {
      throw new ZarrFormatException(key + ": filters " + filters + " are not supported");
    }
  }

  private static Codec parseCompressor(Object compressor, String key) {
    if (compressor == null) {
      return Codec.none();
    }
    if (!(compressor instanceof Map<?, ?> c)) {
      throw new ZarrFormatException(key + ": compressor " + compressor + " is not an object");
    }
    Object id = c.get("id");
    if (Codec.ZSTD.equals(id) || Codec.ZLIB.equals(id)) {
      Object level = c.get("level");
      // numcodecs' default level is 1 for both.
      int l = level instanceof Number n ? n.intValue() : 1;
      return new Codec((String) id, l);
    }
    throw new ZarrFormatException(
        key + ": compressor " + id + " is not supported (zarrsync reads zstd, zlib or none)");
  }

  private static Object decodeFill(Object fill, DataType type, String key) {
    if (fill == null) {
      return null;
    }
    switch (type) {
      case FLOAT, DOUBLE -> {
        if (fill instanceof Number n) {
          return n.doubleValue();
        }
        if (fill instanceof String s) {
          switch (s) {
            case "NaN" -> {
              return Double.NaN;
            }
            case "Infinity" -> {
              return Double.POSITIVE_INFINITY;
            }
            case "-Infinity" -> {
              return Double.NEGATIVE_INFINITY;
            }
            default -> {}
          }
        }
        throw new ZarrFormatException(key + ": fill_value " + fill + " is not a float");
      }
      case CHAR -> {
        if (!(fill instanceof String s)) {
          throw new ZarrFormatException(key + ": fill_value " + fill + " is not base64 bytes");
        }
        try {
          return new String(Base64.getDecoder().decode(s), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
          throw new ZarrFormatException(key + ": fill_value " + fill + " is not base64", e);
        }
      }
      case STRING -> {
        // zarr-python gives object arrays the default fill 0, which reads back as the integer 0
        // and means nothing for strings: such arrays read as having no fill.
        return fill instanceof String ? fill : null;
      }
      default -> {
        if (!(fill instanceof Number)) {
          throw new ZarrFormatException(key + ": fill_value " + fill + " is not an integer");
        }
        return fill;
      }
    }
  }

  private static List<?> asList(Object value, String key, String field) {
    if (!(value instanceof List<?> list)) {
      throw new ZarrFormatException(key + ": " + field + " " + value + " is not a list");
    }
    return list;
  }

  private static List<Long> longList(Object value, String key, String field) {
    List<Long> out = new ArrayList<>();
    for (Object o : asList(value, key, field)) {
      if (!(o instanceof Long l)) {
        throw new ZarrFormatException(key + ": " + field + " " + value + " holds a non-integer");
      }
      if (l < 0) {
        throw new ZarrFormatException(key + ": " + field + " " + value + " holds a negative");
      }
      out.add(l);
    }
    return out;
  }

  private static List<String> stringList(Object value, String key, String field) {
    List<String> out = new ArrayList<>();
    for (Object o : asList(value, key, field)) {
      if (!(o instanceof String s)) {
        throw new ZarrFormatException(key + ": " + field + " " + value + " holds a non-string");
      }
      out.add(s);
    }
    return out;
  }
}
