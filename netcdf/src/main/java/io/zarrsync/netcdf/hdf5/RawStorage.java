package io.zarrsync.netcdf.hdf5;

/** Where a fixed-size dataset keeps its elements; returns them in the file's byte order. */
interface RawStorage {
  /**
   * Copies the box {@code count} at {@code origin} (inside the dataset's extent, no empty extent)
   * into {@code out}, a row-major array of exactly that box.
   */
  void read(long[] origin, int[] count, byte[] out);

  /** The storage chunk shape, if the dataset is chunked. */
  default int[] chunkShape() {
    return null;
  }
}
