package io.zarrsync.zarr;

/**
 * An array's metadata plus how its chunks are keyed in the store.
 *
 * @param metadata the format-independent metadata
 * @param separator the v2 {@code dimension_separator} ("." or "/") of existing stores; new arrays
 *     use "."
 */
record StoredArray(ArrayMetadata metadata, String separator) {
  StoredArray {
    if (!separator.equals(".") && !separator.equals("/")) {
      throw new IllegalArgumentException("dimension separator must be '.' or '/'");
    }
  }

  StoredArray withMetadata(ArrayMetadata m) {
    return new StoredArray(m, separator);
  }
}
