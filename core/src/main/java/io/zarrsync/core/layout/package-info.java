/**
 * The layout SPI: how the files of a collection map onto a Zarr store. A {@link
 * io.zarrsync.core.layout.LayoutProvider} (found with {@link java.util.ServiceLoader} by name)
 * creates a {@link io.zarrsync.core.layout.Layout} per collection, which defines the {@link
 * io.zarrsync.core.layout.StoreSchema} from the first file and turns every file into {@link
 * io.zarrsync.core.layout.SourceRecord}s (identity, row, rank, lazy data). The engine does the
 * rest. See docs/layout-spi.md.
 */
package io.zarrsync.core.layout;
