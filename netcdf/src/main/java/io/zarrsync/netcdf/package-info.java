/**
 * One data model for NetCDF files ({@link io.zarrsync.netcdf.NetcdfFile}, {@link
 * io.zarrsync.netcdf.Variable}, {@link io.zarrsync.netcdf.Dimension}, {@link
 * io.zarrsync.netcdf.Attribute}) with format readers behind {@link
 * io.zarrsync.netcdf.NetcdfReaderProvider}. Open files with {@link
 * io.zarrsync.netcdf.NetcdfFiles#open(java.nio.file.Path)}; callers never see which format a file
 * was.
 */
package io.zarrsync.netcdf;
