package io.zarrsync.zarr.store;

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
}
