package io.zarrsync.netcdf;

import io.zarrsync.api.DataType;
import java.util.List;
import java.util.Objects;

/**
 * A variable or global attribute, as stored in the file (no CF decoding).
 *
 * <p>{@code values} holds the numbers as their mathematical value in the smallest Java type that
 * holds them: BYTE {@link Byte}, UBYTE and SHORT {@link Short}, USHORT and INT {@link Integer},
 * UINT and LONG {@link Long}, ULONG {@link java.math.BigInteger}, FLOAT {@link Float}, DOUBLE
 * {@link Double}. A CHAR attribute has exactly one {@link String} value (the text, trailing NULs
 * removed); a STRING attribute has one {@link String} per element.
 */
public record Attribute(String name, DataType type, List<Object> values) {
  public Attribute {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    values = List.copyOf(values);
  }

  /** A CHAR (text) attribute. */
  public static Attribute text(String name, String value) {
    return new Attribute(name, DataType.CHAR, List.of(value));
  }

  /** True for CHAR and STRING attributes. */
  public boolean isText() {
    return type == DataType.CHAR || type == DataType.STRING;
  }

  /** The text of a CHAR attribute or of a one-element STRING attribute, else {@code null}. */
  public String stringValue() {
    return isText() && values.size() == 1 ? (String) values.get(0) : null;
  }

  /** The first value as a number, or {@code null} for text attributes and empty attributes. */
  public Number numericValue() {
    return !isText() && !values.isEmpty() ? (Number) values.get(0) : null;
  }
}
