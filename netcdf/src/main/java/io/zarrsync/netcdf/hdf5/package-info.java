/**
 * The NetCDF-4 (HDF5) reader, over jhdf: {@link io.zarrsync.netcdf.hdf5.Hdf5ReaderProvider}. It
 * maps HDF5 dimension scales, attributes and datasets onto the NetCDF data model as netCDF-C does,
 * reads dense attribute and link storage itself (jhdf's fractal heap reader fails on real files),
 * and decodes deflate/shuffle chunks itself for speed.
 */
package io.zarrsync.netcdf.hdf5;
