package io.zarrsync.netcdf.hdf5;

import io.jhdf.exceptions.HdfException;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads byte ranges of the file after checking they lie inside it. A corrupt length field would
 * otherwise make jhdf allocate (and zero) a buffer of up to 2 GiB before finding the file short.
 */
final class FileRegion {
  private FileRegion() {}

  /** {@code length} bytes at {@code address} (relative to the HDF5 base address), little-endian. */
  static ByteBuffer read(HdfBackingStorage storage, long address, long length) {
    long base = storage.getSuperblock().getBaseAddressByte();
    if (address < 0
        || length < 0
        || length > Integer.MAX_VALUE
        || base + address + length > storage.size()) {
      throw new HdfException(
          "a read of "
              + length
              + " bytes at address "
              + address
              + " is beyond the end of the file");
    }
    return storage.readBufferFromAddress(address, (int) length).order(ByteOrder.LITTLE_ENDIAN);
  }
}
