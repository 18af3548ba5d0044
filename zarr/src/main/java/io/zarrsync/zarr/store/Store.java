package io.zarrsync.zarr.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A flat key-value store of byte objects: a directory, memory, or an S3 prefix. Keys are
 * '/'-separated relative paths without a leading '/', '.' or '..' segments.
 *
 * <p>Every {@code put} is atomic: a reader sees the old bytes or the new bytes, never a mix. {@link
 * #putIfAbsent} is the only conditional operation; the commit protocol builds on it.
 *
 * <p>Implementations are thread-safe. I/O failures raise {@link io.zarrsync.api.StoreException}.
 */
public interface Store {
  /** The bytes under {@code key}, or empty if there is none. */
  Optional<byte[]> get(String key);

  /** Writes {@code value} under {@code key}, replacing any previous value atomically. */
  void put(String key, byte[] value);

  /**
   * Writes {@code value} under {@code key} only if no value exists there.
   *
   * @return true if this call created the key, false if it already existed (nothing was written)
   */
  boolean putIfAbsent(String key, byte[] value);

  /** Removes {@code key}; removing a missing key is not an error. */
  void delete(String key);

  boolean exists(String key);

  /** Every key that starts with {@code prefix} (a plain string prefix, "" for all keys), sorted. */
  List<String> list(String prefix);

  /** A human-readable location, e.g. a path or {@code s3://bucket/prefix}. */
  String describe();

  /**
   * The local directory holding this store's keys, if it is one (the filesystem store); lets a
   * writer add a local file lock to the store's lease.
   */
  default java.util.Optional<java.nio.file.Path> localDirectory() {
    return java.util.Optional.empty();
  }

  /**
   * The immediate children of the directory {@code dir} ("" for the root, otherwise a prefix ending
   * in '/'), sorted: keys directly in {@code dir}, and for deeper keys their first sub-directory as
   * a prefix ending in '/' (like S3's common prefixes). Entries are full keys, e.g. {@code
   * listChildren("a/")} gives {@code ["a/.zarray", "a/0.0", "a/b/"]}.
   *
   * <p>The default walks {@link #list}; stores that can list one level cheaply override it.
   */
  default List<String> listChildren(String dir) {
    StoreKeys.validateDirectory(dir);
    List<String> out = new ArrayList<>();
    String last = null;
    for (String key : list(dir)) {
      int slash = key.indexOf('/', dir.length());
      String child = slash < 0 ? key : key.substring(0, slash + 1);
      if (!child.equals(last)) {
        out.add(child);
        last = child;
      }
    }
    return out;
  }
}
