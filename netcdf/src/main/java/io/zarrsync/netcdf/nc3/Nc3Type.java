package io.zarrsync.netcdf.nc3;

import io.zarrsync.api.DataType;

/** The {@code nc_type} codes of the classic formats and the model type each one maps to. */
enum Nc3Type {
  BYTE(1, DataType.BYTE),
  CHAR(2, DataType.CHAR),
  SHORT(3, DataType.SHORT),
  INT(4, DataType.INT),
  FLOAT(5, DataType.FLOAT),
  DOUBLE(6, DataType.DOUBLE),
  UBYTE(7, DataType.UBYTE),
  USHORT(8, DataType.USHORT),
  UINT(9, DataType.UINT),
  INT64(10, DataType.LONG),
  UINT64(11, DataType.ULONG);

  private final int code;
  private final DataType dataType;

  Nc3Type(int code, DataType dataType) {
    this.code = code;
    this.dataType = dataType;
  }

  DataType dataType() {
    return dataType;
  }

  int size() {
    return dataType.size();
  }

  /**
   * The type for {@code code}, or {@code null} when the code is unknown or (for codes 7 to 11) not
   * allowed outside CDF-5.
   */
  static Nc3Type fromCode(int code, boolean cdf5) {
    for (Nc3Type t : values()) {
      if (t.code == code) {
        return t.code <= DOUBLE.code || cdf5 ? t : null;
      }
    }
    return null;
  }
}
