package io.zarrsync.netcdf.nc3;

/** Size arithmetic of the classic formats. */
final class Nc3Layout {
  private Nc3Layout() {}

  /** Bytes of zero padding after {@code length} bytes to reach a multiple of 4. */
  static long padding(long length) {
    return (4 - (length & 3)) & 3;
  }

  /** {@code length} rounded up to a multiple of 4. */
  static long roundUp4(long length) {
    return Math.addExact(length, padding(length));
  }
}
