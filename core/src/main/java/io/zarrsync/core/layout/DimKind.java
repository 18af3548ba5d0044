package io.zarrsync.core.layout;

/** How a store dimension's length is decided. */
public enum DimKind {
  /** The record dimension (grid: time; profiles: N_PROF): one row per identity. */
  RECORD,
  /** Set by the first file; every later file must have the same extent (e.g. lat, lon). */
  FIXED,
  /**
   * Grows to the largest extent any file had (up to {@link DimSpec#max()} if set); shorter files
   * are padded with fill (e.g. N_LEVELS). Growing resizes arrays; chunk keys stay valid.
   */
  GROWABLE
}
