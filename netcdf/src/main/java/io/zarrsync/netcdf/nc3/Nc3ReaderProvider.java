package io.zarrsync.netcdf.nc3;

import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfReaderProvider;
import java.nio.file.Path;

/**
 * Reads NetCDF classic (CDF-1), 64-bit offset (CDF-2) and 64-bit data (CDF-5) files. The header is
 * validated against the file size at open; data is read by hyperslab with positional reads, so the
 * returned file may be read from several threads at once.
 */
public final class Nc3ReaderProvider implements NetcdfReaderProvider {
  /**
   * Claims every file that starts with {@code CDF}, whatever its version byte, so that an unknown
   * version is reported as such rather than as "not NetCDF".
   */
  @Override
  public boolean canOpen(byte[] magic) {
    return magic.length >= 4 && magic[0] == 'C' && magic[1] == 'D' && magic[2] == 'F';
  }

  @Override
  public NetcdfFile open(Path path) {
    return Nc3File.open(path);
  }
}
