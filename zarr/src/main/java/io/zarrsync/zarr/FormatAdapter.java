package io.zarrsync.zarr;

import io.zarrsync.api.NdArray;
import io.zarrsync.zarr.store.Store;
import java.util.Map;
import java.util.SortedMap;

/**
 * What differs between Zarr format versions: where metadata lives, how it is spelled, how chunks
 * are keyed and encoded. {@link ZarrGroup} and {@link ZarrArray} hold everything else, so a v3
 * adapter plugs in without changing their callers.
 */
interface FormatAdapter {
  ZarrFormat format();

  /** Creates the root group; throws {@link io.zarrsync.api.StoreConflictException} if present. */
  void createGroup(Store store, Map<String, Object> attributes);

  void writeGroupAttributes(Store store, Map<String, Object> attributes);

  /** Reads the group and its arrays, from consolidated metadata if allowed and present. */
  GroupContent readGroup(Store store, boolean useConsolidated);

  /** A new array's metadata and attributes. */
  void writeArray(Store store, String name, StoredArray array);

  /** Only the array's structural metadata (shape, chunks, dtype...), e.g. after a resize. */
  void writeArrayMetadata(Store store, String name, StoredArray array);

  /** Only the array's attributes (with its dimension names). */
  void writeArrayAttributes(Store store, String name, StoredArray array);

  /** The store key of a chunk. */
  String chunkKey(String name, StoredArray array, long[] chunkIndex);

  /**
   * The chunk index of a store key under {@code name + "/"}, or null if the key is not a chunk
   * (e.g. metadata).
   */
  long[] chunkIndexOf(String name, StoredArray array, String key);

  byte[] encodeChunk(StoredArray array, NdArray chunk);

  NdArray decodeChunk(StoredArray array, byte[] bytes);

  /** Writes the consolidated metadata of the group and all its arrays. */
  void consolidate(
      Store store, Map<String, Object> attributes, SortedMap<String, StoredArray> arrays);

  /** The group's attributes and arrays as read from a store. */
  record GroupContent(Map<String, Object> attributes, SortedMap<String, StoredArray> arrays) {}
}
