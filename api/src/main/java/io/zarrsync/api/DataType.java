package io.zarrsync.api;

/**
 * The element types zarrsync moves between NetCDF and Zarr. The set is the NetCDF-4 enhanced model
 * (signed and unsigned integers of 1 to 8 bytes, float, double, char and variable-length string).
 *
 * <p>In an {@link NdArray}, numeric values are stored little-endian with the width of the type;
 * unsigned types use the same bits as their signed twin and are widened on read ({@link
 * NdArray#getLong(int)}). {@link #CHAR} is one byte per element (NetCDF {@code char}); {@link
 * #STRING} elements are Java strings.
 */
public enum DataType {
  BYTE(1),
  UBYTE(1),
  SHORT(2),
  USHORT(2),
  INT(4),
  UINT(4),
  LONG(8),
  ULONG(8),
  FLOAT(4),
  DOUBLE(8),
  CHAR(1),
  STRING(-1);

  private final int size;

  DataType(int size) {
    this.size = size;
  }

  /** Bytes per element, or -1 for {@link #STRING}. */
  public int size() {
    return size;
  }

  public boolean isUnsigned() {
    return this == UBYTE || this == USHORT || this == UINT || this == ULONG;
  }

  public boolean isFloatingPoint() {
    return this == FLOAT || this == DOUBLE;
  }

  public boolean isIntegral() {
    return switch (this) {
      case BYTE, UBYTE, SHORT, USHORT, INT, UINT, LONG, ULONG -> true;
      default -> false;
    };
  }

  public boolean isNumeric() {
    return isIntegral() || isFloatingPoint();
  }

  /** The unsigned twin of a signed integer type (for NetCDF-3 {@code _Unsigned = "true"}). */
  public DataType toUnsigned() {
    return switch (this) {
      case BYTE -> UBYTE;
      case SHORT -> USHORT;
      case INT -> UINT;
      case LONG -> ULONG;
      default -> this;
    };
  }
}
