package io.zarrsync.core.layout;

import io.zarrsync.api.NdArray;
import java.util.OptionalLong;

/**
 * One record (one row along the record dimension) offered by a source file.
 *
 * <p>The {@link #identity()} says what the record is in domain terms; each identity owns exactly
 * one row of the store. When several live files offer the same identity, the one with the highest
 * {@link #rank()} is shown (ties: the greater source key). Identity and rank must be pure functions
 * of the file's content (and its key), never of arrival order or time.
 */
public interface SourceRecord {
  /**
   * A stable, non-blank identity, e.g. {@code 2022-01-03T03:20:00Z} (a grid slot) or {@code
   * 5900001/12/A/0} (platform/cycle/direction/position). A layout that cannot form a meaningful
   * identity (blank fields) must fall back to something unique to the file (its key), never to a
   * shared value.
   */
  String identity();

  /**
   * The row this record must occupy when rows are computed from the data ({@link
   * RowPolicy#COMPUTED}, e.g. slot = (t - origin) / step); empty when the engine allocates rows on
   * first sight ({@link RowPolicy#APPENDED}).
   */
  OptionalLong row();

  /** Which version wins among live files offering the same identity (higher wins). */
  Rank rank();

  /**
   * Reads a box of a {@link ArrayRole#RECORD} array for this record. {@code originInRecord} and
   * {@code count} span the array's dims without the record dim (so a grid record of {@code
   * sst(time, lat, lon)} is addressed in {@code (lat, lon)}); the store's current extents apply.
   * The result has shape {@code count} (plus the string length for {@code CHAR} arrays stored as
   * {@code |S<n>}), the array's data type, and the array's fill value wherever the file has no data
   * (beyond its extent along a growable dim, or the whole box for an array the file lacks).
   *
   * @throws io.zarrsync.api.InvalidSourceFileException if the file turns out to be damaged
   */
  NdArray read(String array, long[] originInRecord, int[] count);
}
