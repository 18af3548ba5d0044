package io.zarrsync.core.layout;

/** How the engine fills an array of the store. */
public enum ArrayRole {
  /**
   * One slice per record along the record dimension (which must be the array's first dim), read
   * from the file that shows the record ({@link SourceRecord#read}); fill where no record is shown.
   */
  RECORD,
  /**
   * No record dimension (e.g. {@code lat}, {@code lon}): written once from the first file, and
   * every later file must carry identical values ({@link FileRecords#readStatic}).
   */
  STATIC,
  /**
   * Along the record dimension but computed from the row index, written for every row whether a
   * record is shown there or not (e.g. a grid's nominal time coordinate): {@link
   * Layout#computedRows}.
   */
  COMPUTED
}
