package io.zarrsync.netcdf;

/** The on-disk format of a file, as {@code ncdump -k} names it. */
public enum NetcdfFormat {
  /** CDF-1. */
  CLASSIC,
  /** CDF-2. */
  OFFSET_64BIT,
  /** CDF-5. */
  DATA_64BIT,
  /** HDF5-based NetCDF-4. */
  NETCDF4,
  /** HDF5-based NetCDF-4 restricted to the classic model. */
  NETCDF4_CLASSIC
}
