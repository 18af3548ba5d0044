package io.zarrsync.netcdf.hdf5;

import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.OrderedDataType;
import io.jhdf.object.datatype.StringData;
import io.jhdf.object.datatype.VariableLength;
import io.zarrsync.api.DataType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Maps HDF5 datatypes onto the NetCDF-4 types of the model, and converts their bytes. */
final class Hdf5Types {
  private Hdf5Types() {}

  /**
   * The model type of an HDF5 datatype, like netCDF-C maps it: integers and IEEE floats by width, a
   * 1-byte fixed string is NetCDF {@code char}, longer fixed strings and variable-length strings
   * are {@code string}. Empty for everything NetCDF-4 calls user-defined (compound, enum, opaque,
   * variable-length sequences) and for HDF5 types NetCDF cannot hold.
   */
  static Optional<DataType> modelType(io.jhdf.object.datatype.DataType t) {
    if (t instanceof FixedPoint f) {
      if (f.getBitOffset() != 0 || f.getBitPrecision() != 8 * f.getSize()) {
        return Optional.empty();
      }
      return Optional.ofNullable(
          switch (f.getSize()) {
            case 1 -> f.isSigned() ? DataType.BYTE : DataType.UBYTE;
            case 2 -> f.isSigned() ? DataType.SHORT : DataType.USHORT;
            case 4 -> f.isSigned() ? DataType.INT : DataType.UINT;
            case 8 -> f.isSigned() ? DataType.LONG : DataType.ULONG;
            default -> null;
          });
    }
    if (t instanceof FloatingPoint) {
      return Optional.ofNullable(
          switch (t.getSize()) {
            case 4 -> DataType.FLOAT;
            case 8 -> DataType.DOUBLE;
            default -> null;
          });
    }
    if (t instanceof StringData) {
      return Optional.of(t.getSize() == 1 ? DataType.CHAR : DataType.STRING);
    }
    if (t instanceof VariableLength v && v.isVariableLengthString()) {
      return Optional.of(DataType.STRING);
    }
    return Optional.empty();
  }

  /** A readable name of an HDF5 datatype for error messages. */
  static String describe(io.jhdf.object.datatype.DataType t) {
    String kind =
        switch (t.getClass().getSimpleName()) {
          case "CompoundDataType" -> "compound";
          case "EnumDataType" -> "enum";
          case "OpaqueDataType" -> "opaque";
          case "VariableLength" -> "variable-length sequence (vlen)";
          case "ArrayDataType" -> "array";
          case "BitField" -> "bitfield";
          case "Reference" -> "reference";
          case "TimeDataType" -> "time";
          case "FixedPoint" -> "integer";
          case "FloatingPoint" -> "floating point";
          default -> t.getClass().getSimpleName();
        };
    return kind + " of " + t.getSize() + " bytes";
  }

  /** True if the elements are stored big-endian and must be swapped for the model. */
  static boolean isBigEndian(io.jhdf.object.datatype.DataType t) {
    return t instanceof OrderedDataType o && o.getByteOrder() == ByteOrder.BIG_ENDIAN;
  }

  /** Reverses the bytes of each {@code elementSize}-byte element in place. */
  static void swapInPlace(byte[] data, int offset, int length, int elementSize) {
    if (elementSize <= 1) {
      return;
    }
    int end = offset + length - length % elementSize;
    for (int e = offset; e < end; e += elementSize) {
      for (int i = 0, j = elementSize - 1; i < j; i++, j--) {
        byte b = data[e + i];
        data[e + i] = data[e + j];
        data[e + j] = b;
      }
    }
  }

  /**
   * The values of {@code count} little-endian elements of {@code type} in the Java types {@link
   * io.zarrsync.netcdf.Attribute} uses.
   */
  static List<Object> boxValues(DataType type, byte[] littleEndian, int count) {
    ByteBuffer b = ByteBuffer.wrap(littleEndian).order(ByteOrder.LITTLE_ENDIAN);
    List<Object> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(
          switch (type) {
            case BYTE, CHAR -> b.get(i);
            case UBYTE -> (short) (b.get(i) & 0xFF);
            case SHORT -> b.getShort(2 * i);
            case USHORT -> b.getShort(2 * i) & 0xFFFF;
            case INT -> b.getInt(4 * i);
            case UINT -> b.getInt(4 * i) & 0xFFFFFFFFL;
            case LONG -> b.getLong(8 * i);
            case ULONG -> unsigned(b.getLong(8 * i));
            case FLOAT -> b.getFloat(4 * i);
            case DOUBLE -> b.getDouble(8 * i);
            case STRING -> throw new IllegalArgumentException("STRING has no fixed-size elements");
          });
    }
    return out;
  }

  private static BigInteger unsigned(long v) {
    BigInteger b = BigInteger.valueOf(v);
    return v >= 0 ? b : b.add(BigInteger.ONE.shiftLeft(64));
  }
}
