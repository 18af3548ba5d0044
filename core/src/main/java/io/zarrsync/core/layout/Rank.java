package io.zarrsync.core.layout;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A sortable version rank: a list of components compared left to right. A component is a number
 * ({@link Long} or {@link Double}, compared numerically) or a {@link String} (compared by code
 * point); numbers sort before strings, and a list that is a prefix of another sorts first. The
 * manifest stores ranks as JSON arrays, so a rank compares the same after a reload.
 *
 * <p>Example: Argo ranks {@code [2, "20230215104625"]} for a D profile ({@code D=2, A=1, R=0}, then
 * DATE_UPDATE).
 */
public record Rank(List<Object> components) implements Comparable<Rank> {
  /** The rank of layouts that do not rank versions: every version ties, the source key decides. */
  public static final Rank NONE = new Rank(List.of());

  public Rank {
    List<Object> normalized = new ArrayList<>(components.size());
    for (Object c : components) {
      normalized.add(normalize(c));
    }
    components = Collections.unmodifiableList(normalized);
  }

  /** A rank of the given components (numbers or strings). */
  public static Rank of(Object... components) {
    return new Rank(List.of(components));
  }

  private static Object normalize(Object c) {
    Objects.requireNonNull(c, "rank component");
    if (c instanceof String) {
      return c;
    }
    if (c instanceof Double || c instanceof Float) {
      double d = ((Number) c).doubleValue();
      if (Double.isNaN(d)) {
        throw new IllegalArgumentException("NaN rank component");
      }
      return d;
    }
    if (c instanceof BigInteger b) {
      return b.longValueExact();
    }
    if (c instanceof Long || c instanceof Integer || c instanceof Short || c instanceof Byte) {
      return ((Number) c).longValue();
    }
    throw new IllegalArgumentException("rank components are numbers or strings, not " + c);
  }

  @Override
  public int compareTo(Rank other) {
    int n = Math.min(components.size(), other.components.size());
    for (int i = 0; i < n; i++) {
      int c = compareComponent(components.get(i), other.components.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(components.size(), other.components.size());
  }

  private static int compareComponent(Object a, Object b) {
    boolean as = a instanceof String;
    boolean bs = b instanceof String;
    if (as && bs) {
      return ((String) a).compareTo((String) b);
    }
    if (as != bs) {
      return as ? 1 : -1;
    }
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
  }

  @Override
  public String toString() {
    return components.toString();
  }
}
