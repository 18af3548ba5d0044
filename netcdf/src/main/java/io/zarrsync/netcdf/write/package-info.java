/**
 * A small NetCDF-3 classic writer, so that the demo and tests can make real NetCDF files without
 * any other tool. Not a general-purpose writer: the whole file is assembled in one call.
 */
package io.zarrsync.netcdf.write;
