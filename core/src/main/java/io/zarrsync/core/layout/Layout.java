package io.zarrsync.core.layout;

import io.zarrsync.api.NdArray;
import io.zarrsync.netcdf.NetcdfFile;

/**
 * How the files of one collection map onto one Zarr group: which arrays exist ({@link #schema}),
 * and which records each file contributes along the record dimension ({@link #read}).
 *
 * <p>The engine owns everything else: the manifest (which identity owns which row, which version is
 * shown), chunk planning, staging and commits. A layout never writes to the store. Implementations
 * must be thread-safe (the engine may read several files at once); methods must be pure functions
 * of their arguments, because the store must not depend on the order in which files arrive.
 */
public interface Layout {
  /**
   * The store's schema, derived from the first file the collection ingests (so a grid's lat/lon
   * sizes come from the data, not from the config). Called once, when the store is created.
   *
   * @param key the source key of {@code first}, for error messages
   * @throws io.zarrsync.api.InvalidSourceFileException if this file cannot define the store (the
   *     engine quarantines it and tries the next file)
   */
  StoreSchema schema(String key, NetcdfFile first);

  /**
   * The records of one file. Must be cheap: read the identity and rank inputs, not the data; data
   * is read later through {@link SourceRecord#read} while {@code file} is still open. The engine
   * may call this several times for the same file (after reopening it) and relies on getting the
   * same records in the same order.
   *
   * @param schema the store's current schema (dimension sizes include any growth so far)
   * @throws io.zarrsync.api.InvalidSourceFileException if the file does not fit the store (wrong
   *     dims, dtype, coordinate outside the axis...): the engine quarantines it with the reason
   */
  FileRecords read(StoreSchema schema, String key, NetcdfFile file);

  /**
   * Values of a {@link ArrayRole#COMPUTED} array for rows {@code [firstRow, firstRow + count)},
   * shape {@code [count]} plus the array's other dims. The range may run past the record length
   * (the engine writes whole chunks, so that readers holding an older shape during a publish see
   * real coordinates there): the values must depend only on the row. The default has no computed
   * arrays.
   */
  default NdArray computedRows(StoreSchema schema, ArraySpec array, long firstRow, int count) {
    throw new UnsupportedOperationException(
        "layout has no computed array " + array.name() + " (" + getClass().getName() + ")");
  }
}
