package io.zarrsync.core.layout;

import io.zarrsync.api.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One array of the store as the layout defines it. Shapes and chunks follow from the dims ({@link
 * StoreSchema#dims()}); the compressor comes from the collection config.
 *
 * @param name array name in the Zarr group
 * @param dims dimension names, outermost first (the record dim first for {@link ArrayRole#RECORD}
 *     and {@link ArrayRole#COMPUTED} arrays); excludes the string-length dim of a {@code |S<n>}
 *     array
 * @param dataType element type ({@link DataType#CHAR} with {@code stringLength > 0} is stored as
 *     fixed-length bytes {@code |S<n>})
 * @param stringLength n of {@code |S<n>}, else 0
 * @param fillValue the Zarr {@code fill_value}: null, a Number (NaN allowed) or a String
 * @param attributes the array's {@code .zattrs} without {@code _ARRAY_DIMENSIONS} (CF attributes as
 *     JSON values; no {@code _FillValue}, which becomes {@code fillValue})
 * @param role how the engine fills it
 * @param chunks chunk lengths of this array, or null for its dims' chunks ({@link
 *     DimSpec#chunk()}); e.g. a grid's time coordinate uses long chunks along the record dim while
 *     the data arrays use one row per chunk
 */
public record ArraySpec(
    String name,
    List<String> dims,
    DataType dataType,
    int stringLength,
    Object fillValue,
    Map<String, Object> attributes,
    ArrayRole role,
    List<Integer> chunks) {
  public ArraySpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dataType, "dataType");
    Objects.requireNonNull(role, "role");
    dims = List.copyOf(dims);
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    if (chunks != null) {
      chunks = List.copyOf(chunks);
      if (chunks.size() != dims.size() || chunks.stream().anyMatch(c -> c < 1)) {
        throw new IllegalArgumentException(
            "array " + name + ": chunks " + chunks + " do not fit dims " + dims);
      }
    }
    if (stringLength < 0 || (stringLength > 0 && dataType != DataType.CHAR)) {
      throw new IllegalArgumentException(
          "array " + name + ": stringLength " + stringLength + " for " + dataType);
    }
  }

  /** An array chunked like its dims. */
  public ArraySpec(
      String name,
      List<String> dims,
      DataType dataType,
      int stringLength,
      Object fillValue,
      Map<String, Object> attributes,
      ArrayRole role) {
    this(name, dims, dataType, stringLength, fillValue, attributes, role, null);
  }
}
