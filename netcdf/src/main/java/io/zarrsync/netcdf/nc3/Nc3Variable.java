package io.zarrsync.netcdf.nc3;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.Variable;
import java.util.Arrays;
import java.util.List;

/**
 * A variable of a classic-format file. Immutable; reads are positional, so one instance may be read
 * from several threads at once.
 */
final class Nc3Variable implements Variable {
  private final Nc3File file;
  private final String name;
  private final DataType type;
  private final List<Dimension> dimensions;
  private final List<Attribute> attributes;
  private final long[] shape;
  private final long[] byteStride;
  private final long begin;

  Nc3Variable(
      Nc3File file,
      String name,
      DataType type,
      List<Dimension> dimensions,
      List<Attribute> attributes,
      long begin,
      long recordSize) {
    this.file = file;
    this.name = name;
    this.type = type;
    this.dimensions = List.copyOf(dimensions);
    this.attributes = List.copyOf(attributes);
    this.begin = begin;
    int rank = dimensions.size();
    this.shape = new long[rank];
    this.byteStride = new long[rank];
    long stride = type.size();
    for (int d = rank - 1; d >= 0; d--) {
      shape[d] = dimensions.get(d).length();
      byteStride[d] = stride;
      stride *= shape[d];
    }
    if (isRecord()) {
      byteStride[0] = recordSize;
    }
  }

  boolean isRecord() {
    return !dimensions.isEmpty() && dimensions.get(0).unlimited();
  }

  long begin() {
    return begin;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DataType dataType() {
    return type;
  }

  @Override
  public List<Dimension> dimensions() {
    return dimensions;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public List<Attribute> attributes() {
    return attributes;
  }

  @Override
  public NdArray read(long[] origin, int[] count) {
    checkBox(origin, count);
    long elements = 1;
    for (int c : count) {
      elements *= c;
    }
    long bytes = elements * type.size();
    if (bytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "variable " + name + ": box " + Arrays.toString(count) + " is too large for one array");
    }
    byte[] out = new byte[(int) bytes];
    if (elements > 0) {
      file.checkOpen();
      SlabReader.read(
          file.channel(),
          file.path().toString(),
          name,
          begin,
          shape,
          byteStride,
          type.size(),
          origin,
          count,
          out);
      ByteSwap.toLittleEndian(out, type.size());
    }
    return NdArray.wrap(type, count, out);
  }

  private void checkBox(long[] origin, int[] count) {
    if (origin.length != shape.length || count.length != shape.length) {
      throw new IndexOutOfBoundsException(
          "variable " + name + " has rank " + shape.length + ", box has rank " + count.length);
    }
    for (int d = 0; d < shape.length; d++) {
      if (origin[d] < 0 || count[d] < 0 || origin[d] > shape[d] - count[d]) {
        throw new IndexOutOfBoundsException(
            "variable "
                + name
                + ": box "
                + Arrays.toString(count)
                + " at "
                + Arrays.toString(origin)
                + " is outside the shape "
                + Arrays.toString(shape));
      }
    }
  }

  @Override
  public String toString() {
    return "Nc3Variable[" + name + " " + type + Arrays.toString(shape) + "]";
  }
}
