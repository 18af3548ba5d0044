package io.zarrsync.zarr;

import io.zarrsync.api.DataType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a Zarr array's metadata says, independent of the format version.
 *
 * <p>The compact constructor validates and canonicalises: lists and maps become unmodifiable,
 * attribute values take the canonical JSON form (integers {@link Long}, floats {@link Double},
 * arrays {@link List}; see {@link ZarrGroup#attributes()}), integer fill values become {@link Long}
 * ({@link java.math.BigInteger} above {@code Long.MAX_VALUE} for {@link DataType#ULONG}), float
 * fill values {@link Double}, trailing NULs of a {@link DataType#CHAR} fill are dropped, and a
 * {@code null} compressor means {@link Codec#none()}. Metadata built in Java therefore equals the
 * same metadata read back from a store.
 *
 * @param shape the array's extent per dimension; for CHAR with a string length, without the
 *     string-length dimension
 * @param chunks the chunk extent per dimension (each at least 1), same rank as {@code shape}
 * @param dataType the element type
 * @param stringLength for {@link DataType#CHAR} only: the fixed byte length {@code n} of each
 *     element, stored as {@code |S<n>}; a chunk's {@link io.zarrsync.api.NdArray} is then CHAR with
 *     shape {@code chunks + [n]}. 0 means one char per element ({@code |S1}, no extra dimension). A
 *     length of 1 is not allowed because it is the same Zarr array as 0: drop the length-1
 *     dimension and use 0.
 * @param fillValue {@code null}, a {@link Number} for numeric types ({@link Double#NaN} and
 *     infinities allowed for floats), or a {@link String} for CHAR (bytes as ISO-8859-1 chars) and
 *     {@link DataType#STRING}
 * @param compressor the chunk compressor
 * @param dimensions the dimension names (xarray's {@code _ARRAY_DIMENSIONS}), one per dimension, or
 *     empty if unnamed
 * @param attributes the array's attributes, without {@code _ARRAY_DIMENSIONS}
 */
public record ArrayMetadata(
    List<Long> shape,
    List<Integer> chunks,
    DataType dataType,
    int stringLength,
    Object fillValue,
    Codec compressor,
    List<String> dimensions,
    Map<String, Object> attributes) {

  /** The attribute under which xarray keeps dimension names in Zarr v2. */
  public static final String DIMENSIONS_ATTRIBUTE = "_ARRAY_DIMENSIONS";

  public ArrayMetadata {
    if (shape == null || chunks == null || dataType == null) {
      throw new IllegalArgumentException("shape, chunks and dataType are required");
    }
    shape = List.copyOf(shape);
    chunks = List.copyOf(chunks);
    if (shape.size() != chunks.size()) {
      throw new IllegalArgumentException(
          "shape " + shape + " and chunks " + chunks + " differ in rank");
    }
    for (Long extent : shape) {
      if (extent < 0) {
        throw new IllegalArgumentException("negative extent in shape " + shape);
      }
    }
    long chunkElements = 1;
    for (Integer c : chunks) {
      if (c < 1) {
        throw new IllegalArgumentException("chunk extents must be at least 1: " + chunks);
      }
      chunkElements *= c;
      if (chunkElements > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("chunks " + chunks + " are too large");
      }
    }
    if (stringLength < 0) {
      throw new IllegalArgumentException("negative stringLength " + stringLength);
    }
    if (stringLength > 0 && dataType != DataType.CHAR) {
      throw new IllegalArgumentException(
          "stringLength applies to CHAR only, got " + stringLength + " for " + dataType);
    }
    if (stringLength == 1) {
      throw new IllegalArgumentException(
          "CHAR with stringLength 1 is the Zarr array |S1 with one char per element:"
              + " drop the length-1 dimension and use stringLength 0");
    }
    long elementBytes = dataType == DataType.STRING ? 1 : dataType.size();
    if (chunkElements * Math.max(1, stringLength) * elementBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "a chunk of " + chunks + " " + dataType + " elements exceeds 2 GiB");
    }
    fillValue = FillValues.canonical(dataType, stringLength, fillValue);
    compressor = compressor == null ? Codec.none() : compressor;
    dimensions = dimensions == null ? List.of() : List.copyOf(dimensions);
    if (!dimensions.isEmpty() && dimensions.size() != shape.size()) {
      throw new IllegalArgumentException(
          "dimensions " + dimensions + " do not match the rank of shape " + shape);
    }
    for (String d : dimensions) {
      if (d.isEmpty()) {
        throw new IllegalArgumentException("empty dimension name in " + dimensions);
      }
    }
    attributes = JsonValues.canonicalMap(attributes, "attributes");
    if (attributes.containsKey(DIMENSIONS_ATTRIBUTE)) {
      throw new IllegalArgumentException(
          DIMENSIONS_ATTRIBUTE + " is not an attribute here: pass the names as dimensions");
    }
  }

  /** Number of dimensions (without a CHAR string-length dimension). */
  public int rank() {
    return shape.size();
  }

  /** The shape as an array. */
  public long[] shapeArray() {
    long[] out = new long[shape.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = shape.get(i);
    }
    return out;
  }

  /** The chunk shape as an array (without a CHAR string-length dimension). */
  public int[] chunksArray() {
    int[] out = new int[chunks.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = chunks.get(i);
    }
    return out;
  }

  /** The shape of a chunk's {@link io.zarrsync.api.NdArray}: the chunks, plus the string length. */
  public int[] chunkArrayShape() {
    int[] c = chunksArray();
    if (stringLength == 0) {
      return c;
    }
    int[] out = new int[c.length + 1];
    System.arraycopy(c, 0, out, 0, c.length);
    out[c.length] = stringLength;
    return out;
  }

  /** A copy with another shape. */
  public ArrayMetadata withShape(List<Long> newShape) {
    return new ArrayMetadata(
        newShape, chunks, dataType, stringLength, fillValue, compressor, dimensions, attributes);
  }

  /** A copy with other attributes. */
  public ArrayMetadata withAttributes(Map<String, ?> newAttributes) {
    return new ArrayMetadata(
        shape,
        chunks,
        dataType,
        stringLength,
        fillValue,
        compressor,
        dimensions,
        newAttributes == null ? null : new HashMap<String, Object>(newAttributes));
  }

  /** The attributes with {@code _ARRAY_DIMENSIONS} added, as written to {@code .zattrs}. */
  Map<String, Object> attributesWithDimensions() {
    TreeMap<String, Object> out = new TreeMap<>(attributes);
    if (!dimensions.isEmpty() || shape.isEmpty()) {
      out.put(DIMENSIONS_ATTRIBUTE, new ArrayList<>(dimensions));
    }
    return out;
  }
}
