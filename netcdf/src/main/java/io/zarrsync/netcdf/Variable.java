package io.zarrsync.netcdf;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import java.util.List;
import java.util.Optional;

/**
 * A variable of an open {@link NetcdfFile}. Values are read by hyperslab and returned raw: packed
 * integers stay packed, fill values stay in place (see {@link Cf} for decoding).
 *
 * <p>The data type is the file's type with {@code _Unsigned = "true"} applied (NetCDF-3 and
 * NetCDF-4 byte/short/int flagged unsigned become UBYTE/USHORT/UINT); the attribute itself is kept.
 * A {@link DataType#CHAR} variable is returned with its last dimension (the string length) in
 * place; {@link Cf#charsToStrings} turns it into strings.
 */
public interface Variable {
  String name();

  DataType dataType();

  List<Dimension> dimensions();

  /** Current extent along each dimension. */
  long[] shape();

  List<Attribute> attributes();

  default Optional<Attribute> attribute(String name) {
    return attributes().stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /**
   * Reads the box {@code count} starting at {@code origin}.
   *
   * @throws io.zarrsync.api.InvalidSourceFileException if the file is damaged
   * @throws IndexOutOfBoundsException if the box is outside {@link #shape()}
   */
  NdArray read(long[] origin, int[] count);

  /** Reads the whole variable. */
  default NdArray read() {
    long[] shape = shape();
    int[] count = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      count[i] = Math.toIntExact(shape[i]);
    }
    return read(new long[shape.length], count);
  }

  /** The storage chunk shape, when the file stores this variable in chunks (NetCDF-4). */
  default Optional<int[]> storageChunks() {
    return Optional.empty();
  }
}
