package io.zarrsync.zarr;

import io.zarrsync.api.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Validation and byte form of fill values. */
final class FillValues {
  private static final BigInteger ULONG_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private FillValues() {}

  /** The canonical fill value for the type (see {@link ArrayMetadata}). */
  static Object canonical(DataType type, int stringLength, Object fill) {
    if (fill == null) {
      return null;
    }
    switch (type) {
      case FLOAT, DOUBLE -> {
        if (!(fill instanceof Number n)) {
          throw badFill(type, fill, "expected a number");
        }
        return n.doubleValue();
      }
      case CHAR -> {
        if (!(fill instanceof String s)) {
          throw badFill(type, fill, "expected a String");
        }
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\0') {
          end--; // NUL padding is how |S values end anyway
        }
        s = s.substring(0, end);
        int max = Math.max(1, stringLength);
        if (s.length() > max) {
          throw badFill(type, fill, "longer than the string length " + max);
        }
        for (int i = 0; i < s.length(); i++) {
          if (s.charAt(i) > 0xFF) {
            throw badFill(type, fill, "CHAR values are bytes: chars above U+00FF do not fit");
          }
        }
        return s;
      }
      case STRING -> {
        if (!(fill instanceof String s)) {
          throw badFill(type, fill, "expected a String");
        }
        return s;
      }
      default -> {
        return canonicalInteger(type, fill);
      }
    }
  }

  private static Object canonicalInteger(DataType type, Object fill) {
    BigInteger value;
    if (fill instanceof Byte || fill instanceof Short || fill instanceof Integer) {
      value = BigInteger.valueOf(((Number) fill).longValue());
    } else if (fill instanceof Long l) {
      value = BigInteger.valueOf(l);
    } else if (fill instanceof BigInteger b) {
      value = b;
    } else if (fill instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d) || d != Math.rint(d)) {
        throw badFill(type, fill, "not an integer");
      }
      value = new BigDecimal(d).toBigIntegerExact();
    } else {
      throw badFill(type, fill, "expected an integer");
    }
    BigInteger min;
    BigInteger max;
    if (type == DataType.ULONG) {
      min = BigInteger.ZERO;
      max = ULONG_MAX;
    } else if (type.isUnsigned()) {
      min = BigInteger.ZERO;
      max = BigInteger.ONE.shiftLeft(8 * type.size()).subtract(BigInteger.ONE);
    } else {
      min = BigInteger.ONE.shiftLeft(8 * type.size() - 1).negate();
      max = BigInteger.ONE.shiftLeft(8 * type.size() - 1).subtract(BigInteger.ONE);
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw badFill(type, fill, "outside the range " + min + " to " + max);
    }
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }

  private static IllegalArgumentException badFill(DataType type, Object fill, String reason) {
    return new IllegalArgumentException(
        "fill value "
            + fill
            + " ("
            + fill.getClass().getSimpleName()
            + ") for "
            + type
            + ": "
            + reason);
  }

  /**
   * The bytes of one fill element: little-endian of the type's width, {@code max(1, stringLength)}
   * NUL-padded bytes for CHAR, UTF-8 for STRING. A null fill is all zero bytes (the empty string
   * for STRING).
   */
  static byte[] elementBytes(ArrayMetadata m) {
    Object fill = m.fillValue();
    DataType type = m.dataType();
    if (type == DataType.STRING) {
      return fill == null ? new byte[0] : ((String) fill).getBytes(StandardCharsets.UTF_8);
    }
    if (type == DataType.CHAR) {
      byte[] out = new byte[Math.max(1, m.stringLength())];
      if (fill != null) {
        byte[] b = ((String) fill).getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(b, 0, out, 0, b.length);
      }
      return out;
    }
    ByteBuffer out = ByteBuffer.allocate(type.size()).order(ByteOrder.LITTLE_ENDIAN);
    if (fill == null) {
      return out.array();
    }
    Number n = (Number) fill;
    switch (type) {
      case FLOAT -> out.putFloat(n.floatValue());
      case DOUBLE -> out.putDouble(n.doubleValue());
      case BYTE, UBYTE -> out.put(n.byteValue());
      case SHORT, USHORT -> out.putShort(n.shortValue());
      case INT, UINT -> out.putInt(n.intValue());
      default -> out.putLong(n.longValue());
    }
    return out.array();
  }
}
