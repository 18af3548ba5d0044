/** {@code zarrsync convert}: a one-off concatenation of NetCDF files into a new Zarr store. */
package io.zarrsync.core.convert;
