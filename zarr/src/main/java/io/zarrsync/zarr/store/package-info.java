/**
 * Key-value stores that hold Zarr data: {@link io.zarrsync.zarr.store.Store} and its local
 * implementations {@link io.zarrsync.zarr.store.FileSystemStore} and {@link
 * io.zarrsync.zarr.store.MemoryStore}.
 */
package io.zarrsync.zarr.store;
