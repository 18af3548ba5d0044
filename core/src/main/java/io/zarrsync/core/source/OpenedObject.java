package io.zarrsync.core.source;

import java.nio.file.Path;

/**
 * A source object available as a local file for reading (the file itself for a directory source, a
 * temporary download for an object store). Close it to release the copy.
 */
public interface OpenedObject extends AutoCloseable {
  /** The local file. */
  Path path();

  /** The fingerprint of the version that {@link #path()} holds. */
  Fingerprint fingerprint();

  @Override
  void close();
}
