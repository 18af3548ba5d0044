package io.zarrsync.zarr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Brings attribute values into one canonical, immutable JSON form, so that values built in Java and
 * values read back from JSON compare equal: integers become {@link Long} ({@link BigInteger} beyond
 * the long range), floating-point numbers {@link Double} (a {@link Float} widens exactly, as Python
 * does with {@code float(numpy.float32)}), arrays and collections unmodifiable {@link List}s, and
 * maps sorted unmodifiable maps.
 */
final class JsonValues {
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private JsonValues() {}

  /** A sorted unmodifiable copy of {@code map} with canonical values ({@code null} -> empty). */
  static Map<String, Object> canonicalMap(Map<String, ?> map, String what) {
    TreeMap<String, Object> out = new TreeMap<>();
    if (map != null) {
      for (Map.Entry<String, ?> e : map.entrySet()) {
        if (e.getKey() == null) {
          throw new IllegalArgumentException(what + ": attribute names must not be null");
        }
        out.put(e.getKey(), canonical(e.getValue(), what + "." + e.getKey()));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** The canonical form of one JSON value; {@code where} names it in error messages. */
  static Object canonical(Object value, String where) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number n) {
      return canonicalNumber(n, where);
    }
    if (value instanceof Character c) {
      return String.valueOf(c);
    }
    if (value instanceof Map<?, ?> m) {
      TreeMap<String, Object> out = new TreeMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new IllegalArgumentException(where + ": JSON object keys must be strings");
        }
        out.put(k, canonical(e.getValue(), where + "." + k));
      }
      return Collections.unmodifiableMap(out);
    }
    if (value instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      for (Object o : c) {
        out.add(canonical(o, where + "[]"));
      }
      return Collections.unmodifiableList(out);
    }
    if (value.getClass().isArray()) {
      return canonicalArray(value, where);
    }
    throw new IllegalArgumentException(
        where + ": a " + value.getClass().getName() + " is not a JSON value");
  }

  static Object canonicalNumber(Number n, String where) {
    if (n instanceof Byte || n instanceof Short || n instanceof Integer || n instanceof Long) {
      return n.longValue();
    }
    if (n instanceof Float f) {
      return (double) f;
    }
    if (n instanceof Double) {
      return n;
    }
    if (n instanceof BigInteger b) {
      return b.compareTo(LONG_MIN) >= 0 && b.compareTo(LONG_MAX) <= 0 ? (Object) b.longValue() : b;
    }
    if (n instanceof BigDecimal d) {
      return d.doubleValue();
    }
    throw new IllegalArgumentException(
        where + ": a " + n.getClass().getName() + " is not a supported JSON number");
  }

  private static List<Object> canonicalArray(Object array, String where) {
    List<Object> out = new ArrayList<>();
    if (array instanceof byte[] a) {
      for (byte v : a) {
        out.add((long) v);
      }
    } else if (array instanceof short[] a) {
      for (short v : a) {
        out.add((long) v);
      }
    } else if (array instanceof int[] a) {
      for (int v : a) {
        out.add((long) v);
      }
    } else if (array instanceof long[] a) {
      for (long v : a) {
        out.add(v);
      }
    } else if (array instanceof float[] a) {
      for (float v : a) {
        out.add((double) v);
      }
    } else if (array instanceof double[] a) {
      for (double v : a) {
        out.add(v);
      }
    } else if (array instanceof boolean[] a) {
      for (boolean v : a) {
        out.add(v);
      }
    } else if (array instanceof Object[] a) {
      for (Object v : a) {
        out.add(canonical(v, where + "[]"));
      }
    } else {
      throw new IllegalArgumentException(
          where + ": a " + array.getClass().getSimpleName() + " is not a JSON value");
    }
    return Collections.unmodifiableList(out);
  }
}
