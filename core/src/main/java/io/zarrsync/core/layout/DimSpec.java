package io.zarrsync.core.layout;

import java.util.Objects;

/**
 * A dimension of the store.
 *
 * @param name dimension name (also used in {@code _ARRAY_DIMENSIONS})
 * @param size current length (for the record dimension: the number of rows)
 * @param kind how the length is decided
 * @param chunk chunk length along this dimension (&gt; 0), the same for every array using it
 * @param max for {@link DimKind#GROWABLE}: the largest allowed length, 0 for no limit
 */
public record DimSpec(String name, long size, DimKind kind, int chunk, long max) {
  public DimSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    if (size < 0 || chunk <= 0 || max < 0) {
      throw new IllegalArgumentException(
          "dimension " + name + ": size " + size + ", chunk " + chunk + ", max " + max);
    }
    if (max > 0 && size > max) {
      throw new IllegalArgumentException(
          "dimension " + name + ": size " + size + " exceeds max " + max);
    }
  }

  public DimSpec withSize(long newSize) {
    return new DimSpec(name, newSize, kind, chunk, max);
  }
}
