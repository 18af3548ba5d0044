package io.zarrsync.netcdf.hdf5;

import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfReaderProvider;
import io.zarrsync.netcdf.ReadOptions;
import java.nio.file.Path;

/**
 * Reads NetCDF-4 and NetCDF-4 classic files (HDF5), and plain HDF5 files the way netCDF-C shows
 * them (phony dimensions). Registered as a {@link NetcdfReaderProvider} service.
 *
 * <p>{@link #canOpen} sees only the first 8 bytes, so it recognises the HDF5 signature at offset 0
 * only. A file with a user block (signature at 512, 1024, 2048, ...) is opened fine by {@link
 * #open} but not picked by {@link io.zarrsync.netcdf.NetcdfFiles#open}; netCDF-C writes no user
 * blocks, so NetCDF files virtually never have one.
 */
public final class Hdf5ReaderProvider implements NetcdfReaderProvider {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  @Override
  public boolean canOpen(byte[] magic) {
    if (magic.length < SIGNATURE.length) {
      return false;
    }
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (magic[i] != SIGNATURE[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public NetcdfFile open(Path path) {
    return Hdf5File.open(path, ReadOptions.DEFAULTS);
  }

  @Override
  public NetcdfFile open(Path path, ReadOptions options) {
    return Hdf5File.open(path, options);
  }
}
