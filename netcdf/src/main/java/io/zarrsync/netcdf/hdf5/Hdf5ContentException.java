package io.zarrsync.netcdf.hdf5;

/**
 * Internal signal that the file holds something the reader refuses or cannot decode (a type, a
 * filter, a corrupt chunk); turned into an {@link io.zarrsync.netcdf.InvalidNetcdfFileException}
 * naming the file at the API boundary. The message is the reason and names the variable.
 */
final class Hdf5ContentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Hdf5ContentException(String reason) {
    super(reason);
  }

  Hdf5ContentException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
