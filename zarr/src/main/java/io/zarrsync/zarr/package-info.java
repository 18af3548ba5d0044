/**
 * The Zarr format: {@link io.zarrsync.zarr.ZarrGroup} and {@link io.zarrsync.zarr.ZarrArray} over a
 * {@link io.zarrsync.zarr.store.Store}, with {@link io.zarrsync.zarr.ArrayMetadata} and {@link
 * io.zarrsync.zarr.Codec} as values. Zarr v2 (as zarr-python 2 and xarray read and write it) is
 * implemented; the version-specific parts sit behind a package-private adapter so v3 can follow.
 */
package io.zarrsync.zarr;
