package io.zarrsync.core.layout;

/** How records get their row along the record dimension. */
public enum RowPolicy {
  /**
   * Each record carries its row ({@link SourceRecord#row()}), computed from its data (grid: slot =
   * (t - origin) / step). The store's length is the highest shown row + 1, so it also shrinks when
   * the last record is removed; any arrival order gives the same store.
   */
  COMPUTED,
  /**
   * The engine gives an identity the next free row when it first sees it and keeps that row for
   * good (blanked while no live version remains). Row order is arrival order.
   */
  APPENDED
}
