package io.zarrsync.core.layout;

import io.zarrsync.api.NdArray;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one open source file contributes: its records, its static arrays, and facts the engine
 * checks against the store. Valid only while the file it came from is open.
 */
public interface FileRecords {
  /** The records, in file order (the engine relies on a stable order between calls). */
  List<SourceRecord> records();

  /**
   * The file's extent along every non-record dimension of the schema that it has (e.g. {@code
   * lat=4500, lon=6000}, or {@code N_LEVELS=1176}). The engine rejects a file whose {@link
   * DimKind#FIXED} extent differs from the store's and grows {@link DimKind#GROWABLE} dims to fit
   * (or rejects it beyond the configured maximum).
   */
  Map<String, Long> extents();

  /**
   * Reads a box of a {@link ArrayRole#STATIC} array (e.g. {@code lat}) from this file. The engine
   * writes static arrays from the first file and compares every later file's values with the
   * store's: a difference quarantines the file ("grid differs from the store's").
   */
  NdArray readStatic(String array, long[] origin, int[] count);

  /**
   * Configured record arrays this file lacks: their rows are written as fill and the engine records
   * the names in the manifest (so a user can see why a region is empty).
   */
  Set<String> missingArrays();
}
