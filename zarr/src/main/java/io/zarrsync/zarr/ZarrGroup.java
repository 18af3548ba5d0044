package io.zarrsync.zarr;

import io.zarrsync.zarr.store.Store;
import io.zarrsync.zarr.store.StoreKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root group of a Zarr store and its arrays, as xarray reads them: one array per variable,
 * dimension names in {@code _ARRAY_DIMENSIONS}, and consolidated metadata in {@code .zmetadata}.
 *
 * <p>Attribute values are JSON values in a canonical form: {@link String}, {@link Boolean}, {@link
 * Long} for integers ({@link java.math.BigInteger} beyond the long range), {@link Double} for other
 * numbers (NaN and infinities are written as the bare JSON tokens Python's json module uses),
 * unmodifiable {@link List}s and sorted maps; Java arrays, {@link Float} and smaller integer types
 * are accepted and converted.
 *
 * <p>The group keeps the metadata of itself and its arrays in memory; {@link #consolidate()}
 * publishes that view. Thread-safe.
 */
public final class ZarrGroup {
  private static final Logger LOG = LoggerFactory.getLogger(ZarrGroup.class);

  private final Store store;
  private final FormatAdapter format;
  private final ConcurrentSkipListMap<String, ZarrArray> arrays = new ConcurrentSkipListMap<>();
  private volatile Map<String, Object> attributes;

  private ZarrGroup(Store store, FormatAdapter format, Map<String, Object> attributes) {
    this.store = store;
    this.format = format;
    this.attributes = attributes;
  }

  /**
   * Creates the root group of an empty store, with {@code attributes}.
   *
   * @throws io.zarrsync.api.StoreConflictException if the store already holds a group or array
   * @throws UnsupportedOperationException for {@link ZarrFormat#V3}
   */
  public static ZarrGroup create(Store store, ZarrFormat format, Map<String, Object> attributes) {
    format.requireSupported();
    Map<String, Object> attrs = JsonValues.canonicalMap(attributes, "group attributes");
    FormatAdapter adapter = V2Format.INSTANCE;
    adapter.createGroup(store, attrs);
    LOG.debug("created Zarr {} group at {}", format, store.describe());
    return new ZarrGroup(store, adapter, attrs);
  }

  /**
   * Opens the root group, from the consolidated metadata ({@code .zmetadata}) when present, else
   * from the group's and each array's own metadata.
   *
   * @throws ZarrFormatException if there is no group or its metadata is malformed or unsupported
   * @throws UnsupportedOperationException for a Zarr v3 store
   */
  public static ZarrGroup open(Store store) {
    return open(store, true);
  }

  /**
   * Opens the root group from the group's and each array's own metadata, ignoring {@code
   * .zmetadata}, which may lag behind them (writers use this).
   */
  public static ZarrGroup openUnconsolidated(Store store) {
    return open(store, false);
  }

  private static ZarrGroup open(Store store, boolean useConsolidated) {
    FormatAdapter adapter = detect(store);
    FormatAdapter.GroupContent content = adapter.readGroup(store, useConsolidated);
    ZarrGroup group =
        new ZarrGroup(
            store, adapter, JsonValues.canonicalMap(content.attributes(), "group attributes"));
    content
        .arrays()
        .forEach(
            (name, stored) -> group.arrays.put(name, new ZarrArray(store, adapter, name, stored)));
    LOG.debug(
        "opened Zarr {} group at {} with {} arrays",
        adapter.format(),
        store.describe(),
        group.arrays.size());
    return group;
  }

  private static FormatAdapter detect(Store store) {
    if (store.exists(V2Format.ZMETADATA) || store.exists(V2Format.ZGROUP)) {
      return V2Format.INSTANCE;
    }
    if (store.exists("zarr.json")) {
      ZarrFormat.V3.requireSupported();
    }
    if (store.exists(V2Format.ZARRAY)) {
      throw new ZarrFormatException(
          store.describe() + ": the root is a Zarr array, zarrsync needs a group");
    }
    throw new ZarrFormatException(store.describe() + ": no Zarr group (no .zgroup or zarr.json)");
  }

  /** True if the store's root holds a Zarr group (of any version). */
  public static boolean exists(Store store) {
    return store.exists(V2Format.ZGROUP) || store.exists("zarr.json");
  }

  public ZarrFormat format() {
    return format.format();
  }

  public Store store() {
    return store;
  }

  /** The group's attributes (canonical, unmodifiable). */
  public Map<String, Object> attributes() {
    return attributes;
  }

  /** Replaces the group's attributes and writes them (not yet to the consolidated metadata). */
  public synchronized void setAttributes(Map<String, Object> attributes) {
    Map<String, Object> attrs = JsonValues.canonicalMap(attributes, "group attributes");
    format.writeGroupAttributes(store, attrs);
    this.attributes = attrs;
  }

  /**
   * Creates an array named {@code name} (a single key segment, not starting with '.') and writes
   * its metadata and attributes.
   *
   * @throws IllegalStateException if an array of that name exists
   */
  public synchronized ZarrArray createArray(String name, ArrayMetadata metadata) {
    StoreKeys.validate(name);
    if (name.contains("/") || name.startsWith(".")) {
      throw new IllegalArgumentException(
          "array name '" + name + "' must be one path segment and must not start with '.'");
    }
    if (arrays.containsKey(name) || store.exists(name + "/" + V2Format.ZARRAY)) {
      throw new IllegalStateException("array " + name + " already exists in " + store.describe());
    }
    StoredArray stored = new StoredArray(metadata, ".");
    format.writeArray(store, name, stored);
    ZarrArray array = new ZarrArray(store, format, name, stored);
    arrays.put(name, array);
    return array;
  }

  public Optional<ZarrArray> array(String name) {
    return Optional.ofNullable(arrays.get(name));
  }

  /** The names of the group's arrays, sorted. */
  public List<String> arrayNames() {
    return new ArrayList<>(arrays.keySet());
  }

  /**
   * Writes the consolidated metadata ({@code .zmetadata}, {@code zarr_consolidated_format} 1) from
   * this object's view of the group and its arrays.
   */
  public synchronized void consolidate() {
    SortedMap<String, StoredArray> stored = new TreeMap<>();
    arrays.forEach((name, array) -> stored.put(name, array.stored()));
    format.consolidate(store, attributes, stored);
  }

  @Override
  public String toString() {
    return "ZarrGroup[" + format.format() + " " + store.describe() + " " + arrays.keySet() + "]";
  }
}
