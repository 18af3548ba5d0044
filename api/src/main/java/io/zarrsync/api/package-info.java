/**
 * Types shared by every zarrsync module: {@link io.zarrsync.api.DataType}, the n-dimensional {@link
 * io.zarrsync.api.NdArray} that carries values between readers, the engine and the Zarr writer, and
 * the unchecked exception hierarchy whose names say what a user can do.
 */
package io.zarrsync.api;
