package io.zarrsync.zarr;

/** The Zarr storage format version of a store. */
public enum ZarrFormat {
  /** Zarr v2: {@code .zgroup}, {@code .zarray}, {@code .zattrs}, {@code .zmetadata}. */
  V2,
  /** Zarr v3: {@code zarr.json}. Not implemented yet. */
  V3;

  /** Throws for formats zarrsync cannot read or write yet. */
  void requireSupported() {
    if (this == V3) {
      throw new UnsupportedOperationException(
          "Zarr v3 is not supported yet: zarrsync reads and writes Zarr v2 stores only");
    }
  }
}
