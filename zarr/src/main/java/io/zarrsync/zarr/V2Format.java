package io.zarrsync.zarr;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.api.StoreConflictException;
import io.zarrsync.zarr.store.Store;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Zarr v2 as zarr-python 2 and xarray write it, with consolidated metadata. */
final class V2Format implements FormatAdapter {
  static final String ZGROUP = ".zgroup";
  static final String ZATTRS = ".zattrs";
  static final String ZARRAY = ".zarray";
  static final String ZMETADATA = ".zmetadata";

  static final V2Format INSTANCE = new V2Format();

  private V2Format() {}

  @Override
  public ZarrFormat format() {
    return ZarrFormat.V2;
  }

  private static byte[] zgroup() {
    return ZarrJson.write(Map.of("zarr_format", 2L));
  }

  @Override
  public void createGroup(Store store, Map<String, Object> attributes) {
    if (store.exists(ZARRAY) || store.exists("zarr.json")) {
      throw new StoreConflictException(
          "cannot create a Zarr group at " + store.describe() + ": another Zarr node is there");
    }
    if (!store.putIfAbsent(ZGROUP, zgroup())) {
      throw new StoreConflictException(
          "a Zarr group already exists at " + store.describe() + ": open it instead");
    }
    writeGroupAttributes(store, attributes);
  }

  @Override
  public void writeGroupAttributes(Store store, Map<String, Object> attributes) {
    store.put(ZATTRS, ZarrJson.write(attributes));
  }

  @Override
  public GroupContent readGroup(Store store, boolean useConsolidated) {
    if (useConsolidated) {
      Optional<byte[]> consolidated = store.get(ZMETADATA);
      if (consolidated.isPresent()) {
        return readConsolidated(store, consolidated.get());
      }
    }
    byte[] zgroup =
        store
            .get(ZGROUP)
            .orElseThrow(
                () ->
                    new ZarrFormatException(
                        store.describe() + ": no Zarr v2 group (" + ZGROUP + " is missing)"));
    checkGroup(ZarrJson.read(zgroup, ZGROUP), store, ZGROUP);
    Map<String, Object> attributes =
        store.get(ZATTRS).map(b -> ZarrJson.read(b, ZATTRS)).orElse(Map.of());
    SortedMap<String, StoredArray> arrays = new TreeMap<>();
    for (String child : store.listChildren("")) {
      if (!child.endsWith("/") || child.startsWith(".")) {
        continue;
      }
      String name = child.substring(0, child.length() - 1);
      Optional<byte[]> zarray = store.get(name + "/" + ZARRAY);
      if (zarray.isEmpty()) {
        continue; // a sub-group or foreign directory
      }
      String attrsKey = name + "/" + ZATTRS;
      Map<String, Object> zattrs =
          store.get(attrsKey).map(b -> ZarrJson.read(b, attrsKey)).orElse(null);
      arrays.put(
          name, V2Metadata.parse(name, ZarrJson.read(zarray.get(), name + "/" + ZARRAY), zattrs));
    }
    return new GroupContent(attributes, arrays);
  }

  private static void checkGroup(Object zgroup, Store store, String key) {
    if (!(zgroup instanceof Map<?, ?> m)
        || !(m.get("zarr_format") instanceof Number n)
        || n.longValue() != 2) {
      throw new ZarrFormatException(
          store.describe() + "/" + key + ": not a Zarr v2 group: " + zgroup);
    }
  }

  private static GroupContent readConsolidated(Store store, byte[] bytes) {
    Map<String, Object> root = ZarrJson.read(bytes, ZMETADATA);
    Object version = root.get("zarr_consolidated_format");
    if (!(version instanceof Number n) || n.longValue() != 1) {
      throw new ZarrFormatException(
          store.describe()
              + "/"
              + ZMETADATA
              + ": zarr_consolidated_format "
              + version
              + " is not supported, expected 1");
    }
    if (!(root.get("metadata") instanceof Map<?, ?> metadata)) {
      throw new ZarrFormatException(store.describe() + "/" + ZMETADATA + ": no metadata object");
    }
    checkGroup(metadata.get(ZGROUP), store, ZMETADATA + " " + ZGROUP);
    Map<String, Object> attributes = objectOrNull(metadata.get(ZATTRS), ZMETADATA + " " + ZATTRS);
    SortedMap<String, StoredArray> arrays = new TreeMap<>();
    for (Map.Entry<?, ?> e : metadata.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!key.endsWith("/" + ZARRAY)) {
        continue;
      }
      String name = key.substring(0, key.length() - ZARRAY.length() - 1);
      if (name.isEmpty() || name.contains("/")) {
        continue; // arrays of sub-groups are not ours
      }
      Map<String, Object> zarray = objectOrNull(e.getValue(), ZMETADATA + " " + key);
      if (zarray == null) {
        throw new ZarrFormatException(ZMETADATA + ": " + key + " is null");
      }
      Map<String, Object> zattrs =
          objectOrNull(metadata.get(name + "/" + ZATTRS), ZMETADATA + " " + name + "/" + ZATTRS);
      arrays.put(name, V2Metadata.parse(name, zarray, zattrs));
    }
    return new GroupContent(attributes == null ? Map.of() : attributes, arrays);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> objectOrNull(Object value, String where) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Map<?, ?>)) {
      throw new ZarrFormatException(where + ": expected a JSON object, got " + value);
    }
    return (Map<String, Object>) value;
  }

  @Override
  public void writeArray(Store store, String name, StoredArray array) {
    writeArrayMetadata(store, name, array);
    writeArrayAttributes(store, name, array);
  }

  @Override
  public void writeArrayMetadata(Store store, String name, StoredArray array) {
    store.put(name + "/" + ZARRAY, ZarrJson.write(V2Metadata.toZarray(array)));
  }

  @Override
  public void writeArrayAttributes(Store store, String name, StoredArray array) {
    store.put(name + "/" + ZATTRS, ZarrJson.write(V2Metadata.toZattrs(array.metadata())));
  }

  @Override
  public String chunkKey(String name, StoredArray array, long[] chunkIndex) {
    int rank = array.metadata().rank();
    if (rank == 0) {
      if (chunkIndex.length > 1 || (chunkIndex.length == 1 && chunkIndex[0] != 0)) {
        throw new IllegalArgumentException(
            name + " is a scalar: its only chunk index is [], got " + Arrays.toString(chunkIndex));
      }
      return name + "/0";
    }
    if (chunkIndex.length != rank) {
      throw new IllegalArgumentException(
          name + " has rank " + rank + ", got chunk index " + Arrays.toString(chunkIndex));
    }
    StringBuilder sb = new StringBuilder(name.length() + 4 * rank).append(name).append('/');
    for (int d = 0; d < rank; d++) {
      if (chunkIndex[d] < 0) {
        throw new IllegalArgumentException(
            name + ": negative chunk index " + Arrays.toString(chunkIndex));
      }
      if (d > 0) {
        sb.append(array.separator());
      }
      sb.append(chunkIndex[d]);
    }
    return sb.toString();
  }

  @Override
  public long[] chunkIndexOf(String name, StoredArray array, String key) {
    if (!key.startsWith(name + "/")) {
      return null;
    }
    String rest = key.substring(name.length() + 1);
    int rank = array.metadata().rank();
    if (rank == 0) {
      return rest.equals("0") ? new long[0] : null;
    }
    String[] parts = rest.split(array.separator().equals(".") ? "\\." : "/", -1);
    if (parts.length != rank) {
      return null;
    }
    long[] index = new long[rank];
    for (int d = 0; d < rank; d++) {
      if (parts[d].isEmpty() || !parts[d].chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      try {
        index[d] = Long.parseLong(parts[d]);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return index;
  }

  @Override
  public byte[] encodeChunk(StoredArray array, NdArray chunk) {
    ArrayMetadata m = array.metadata();
    checkChunk(m, chunk);
    byte[] raw;
    if (m.dataType() == DataType.STRING) {
      String[] items = new String[chunk.size()];
      for (int i = 0; i < items.length; i++) {
        items[i] = chunk.getString(i);
      }
      raw = VLenUtf8.encode(items);
    } else {
      raw = bytesOf(chunk);
    }
    return m.compressor().encode(raw);
  }

  /** The chunk's bytes, without a copy when the buffer is exactly a whole heap array. */
  private static byte[] bytesOf(NdArray chunk) {
    ByteBuffer b = chunk.buffer();
    if (b.hasArray() && b.arrayOffset() == 0 && b.array().length == b.remaining()) {
      return b.array();
    }
    return chunk.toByteArray();
  }

  private static void checkChunk(ArrayMetadata m, NdArray chunk) {
    if (chunk.type() != m.dataType() || !Arrays.equals(chunk.shape(), m.chunkArrayShape())) {
      throw new IllegalArgumentException(
          "chunk "
              + chunk
              + " does not fit an array of "
              + m.dataType()
              + " with chunk shape "
              + Arrays.toString(m.chunkArrayShape()));
    }
  }

  @Override
  public NdArray decodeChunk(StoredArray array, byte[] bytes) {
    ArrayMetadata m = array.metadata();
    int[] shape = m.chunkArrayShape();
    long elements = 1;
    for (int s : shape) {
      elements *= s;
    }
    if (m.dataType() == DataType.STRING) {
      byte[] raw = m.compressor().decode(bytes, -1);
      return NdArray.ofStrings(shape, VLenUtf8.decode(raw, (int) elements));
    }
    int expected = Math.toIntExact(elements * m.dataType().size());
    byte[] raw = m.compressor().decode(bytes, expected);
    if (raw.length != expected) {
      throw new ZarrFormatException(
          "chunk holds "
              + raw.length
              + " bytes, expected "
              + expected
              + " for "
              + m.dataType()
              + Arrays.toString(shape));
    }
    return NdArray.wrap(m.dataType(), shape, raw);
  }

  @Override
  public void consolidate(
      Store store, Map<String, Object> attributes, SortedMap<String, StoredArray> arrays) {
    Map<String, Object> metadata = new TreeMap<>();
    metadata.put(ZGROUP, Map.of("zarr_format", 2L));
    metadata.put(ZATTRS, attributes);
    for (Map.Entry<String, StoredArray> e : arrays.entrySet()) {
      metadata.put(e.getKey() + "/" + ZARRAY, V2Metadata.toZarray(e.getValue()));
      metadata.put(e.getKey() + "/" + ZATTRS, V2Metadata.toZattrs(e.getValue().metadata()));
    }
    Map<String, Object> root = new TreeMap<>();
    root.put("metadata", metadata);
    root.put("zarr_consolidated_format", 1L);
    store.put(ZMETADATA, ZarrJson.write(root));
  }
}
