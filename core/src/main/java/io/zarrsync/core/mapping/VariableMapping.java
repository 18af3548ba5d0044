package io.zarrsync.core.mapping;

import io.zarrsync.api.DataType;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.Variable;
import io.zarrsync.zarr.ArrayMetadata;
import io.zarrsync.zarr.Codec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Zarr array that holds one NetCDF variable.
 *
 * <p>Values are kept as the file encodes them (packed int16 stays int16 with its {@code
 * scale_factor}/{@code add_offset}), so xarray decodes the Zarr array exactly as it decodes the
 * file. {@code _FillValue} moves into the array's fill value, as xarray writes it; a variable
 * without one gets no fill value (xarray masks nothing there either). A char variable loses its
 * last dimension, which becomes the length of a fixed-length byte string ({@code |S<n>}), as
 * xarray's character-array decoding does.
 */
public final class VariableMapping {
  /** Attributes that are format internals or moved into the array metadata. */
  private static final List<String> EXCLUDED = List.of("_FillValue", "_ARRAY_DIMENSIONS");

  private VariableMapping() {}

  /** The dimensions a variable has in Zarr: a char variable drops its string-length dimension. */
  public static List<Dimension> zarrDimensions(Variable v) {
    List<Dimension> dims = v.dimensions();
    if (v.dataType() == DataType.CHAR && !dims.isEmpty()) {
      return dims.subList(0, dims.size() - 1);
    }
    return dims;
  }

  /**
   * The string length of a char variable (its last dimension), 0 for every other type. In Zarr a
   * length of 1 is plain {@code |S1} with {@link ArrayMetadata#stringLength()} 0.
   */
  public static int stringLength(Variable v) {
    List<Dimension> dims = v.dimensions();
    if (v.dataType() == DataType.CHAR && !dims.isEmpty()) {
      return Math.toIntExact(dims.get(dims.size() - 1).length());
    }
    return 0;
  }

  /**
   * Metadata for {@code v} with the given Zarr shape and chunks (both without the string-length
   * dimension of char variables).
   */
  public static ArrayMetadata metadata(
      Variable v, List<Long> shape, List<Integer> chunks, Codec compressor) {
    List<String> dimNames = new ArrayList<>();
    for (Dimension d : zarrDimensions(v)) {
      dimNames.add(d.name());
    }
    Map<String, Object> attrs = AttributeMapping.toJson(v.attributes(), EXCLUDED);
    return new ArrayMetadata(
        List.copyOf(shape),
        List.copyOf(chunks),
        v.dataType(),
        stringLength(v) == 1 ? 0 : stringLength(v),
        fillValue(v).orElse(null),
        compressor,
        dimNames,
        attrs);
  }

  /**
   * The variable's {@code _FillValue} as a value of its Zarr type: unsigned types get the unsigned
   * reading of the bits (a NetCDF-3 {@code _Unsigned} byte with fill -1 has fill 255), char
   * variables a string.
   */
  public static Optional<Object> fillValue(Variable v) {
    Optional<Attribute> fill = v.attribute("_FillValue");
    if (fill.isEmpty() || fill.get().values().isEmpty()) {
      return Optional.empty();
    }
    Attribute a = fill.get();
    DataType t = v.dataType();
    if (t == DataType.CHAR || t == DataType.STRING) {
      Object raw = a.values().get(0);
      return Optional.of(raw instanceof String s ? s : String.valueOf(raw));
    }
    Number n = (Number) a.values().get(0);
    return Optional.of(asType(n, t));
  }

  /** {@code n} converted to the value range of {@code t} (two's complement bits reinterpreted). */
  static Number asType(Number n, DataType t) {
    if (t.isFloatingPoint()) {
      return t == DataType.FLOAT ? (Number) n.floatValue() : (Number) n.doubleValue();
    }
    long bits = n instanceof BigInteger b ? b.longValue() : n.longValue();
    return switch (t) {
      case UBYTE -> bits & 0xFFL;
      case USHORT -> bits & 0xFFFFL;
      case UINT -> bits & 0xFFFFFFFFL;
      case ULONG -> bits >= 0 ? (Number) bits : new BigInteger(Long.toUnsignedString(bits));
      case BYTE -> (long) (byte) bits;
      case SHORT -> (long) (short) bits;
      case INT -> (long) (int) bits;
      default -> bits;
    };
  }
}
