/**
 * How a NetCDF variable becomes a Zarr array: attributes to JSON, {@code _FillValue} to the array's
 * fill value, char arrays to fixed-length byte strings, dimension names. Shared by {@code convert}
 * and the sync engine's layouts so both write the same thing for the same variable.
 */
package io.zarrsync.core.mapping;
