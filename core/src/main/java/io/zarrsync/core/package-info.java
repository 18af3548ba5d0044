/**
 * The sync engine's public API: {@link io.zarrsync.core.SyncEngine} keeps a collection's Zarr store
 * equal to its live NetCDF files ({@code sync}, {@code apply}, {@code status}, {@code log}, {@code
 * verify}, {@code quarantine}); reports are records. Collections are configured with {@link
 * io.zarrsync.core.config.CollectionConfig}; sources are {@link io.zarrsync.core.source.Source}s;
 * layouts plug in through {@link io.zarrsync.core.layout.LayoutProvider}. The packages {@code
 * manifest}, {@code plan} and {@code txn} are the engine's machinery, not API.
 */
package io.zarrsync.core;
