package io.zarrsync.core.source;

import java.util.List;
import java.util.Optional;

/**
 * Where a collection's NetCDF objects live: a directory, or an object store prefix. Keys are
 * '/'-separated and relative to the source root. Implementations are thread-safe; I/O failures
 * raise {@link io.zarrsync.api.StoreException}.
 */
public interface Source {
  /** Every object under the root, sorted by key. */
  List<SourceObject> list();

  /** The object under {@code key} now, or empty if there is none. */
  Optional<SourceObject> stat(String key);

  /**
   * Makes the object available as a local file.
   *
   * @throws io.zarrsync.api.InvalidSourceFileException if the object vanished or cannot be read
   */
  OpenedObject open(String key);

  /** A human-readable location, e.g. a path or {@code s3://bucket/prefix}. */
  String describe();
}
