/**
 * Reader for the NetCDF classic formats: CDF-1 (classic), CDF-2 (64-bit offset) and CDF-5 (64-bit
 * data). Only {@link io.zarrsync.netcdf.nc3.Nc3ReaderProvider} is public; callers open files
 * through {@link io.zarrsync.netcdf.NetcdfFiles}.
 */
package io.zarrsync.netcdf.nc3;
