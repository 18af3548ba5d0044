package io.zarrsync.netcdf;

import io.zarrsync.api.InvalidSourceFileException;

/**
 * The file is not a NetCDF file zarrsync can read: empty, truncated, not NetCDF, HDF5 that is not
 * NetCDF-4, or a feature the readers do not support. The message names the file and the reason.
 */
public class InvalidNetcdfFileException extends InvalidSourceFileException {
  private static final long serialVersionUID = 1L;

  public InvalidNetcdfFileException(String file, String reason) {
    super(file, reason);
  }

  public InvalidNetcdfFileException(String file, String reason, Throwable cause) {
    super(file, reason, cause);
  }
}
