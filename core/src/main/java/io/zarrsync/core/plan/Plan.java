package io.zarrsync.core.plan;

import io.zarrsync.api.NdArray;
import io.zarrsync.core.layout.StoreSchema;
import io.zarrsync.core.manifest.Manifest;
import io.zarrsync.core.source.Fingerprint;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * A planned transaction: the manifest before and after, and the rows whose content changes.
 *
 * @param before the manifest it starts from
 * @param after the manifest it produces (seq and time not yet set)
 * @param create true if this transaction creates the Zarr group
 * @param schemaAfter the schema after it (record dim = new length; null if no store yet)
 * @param rows row to the record shown there after the transaction (key null: blank)
 * @param fingerprints the planned versions of the files it reads data from
 * @param statics static arrays' values (create only)
 * @param attributesFrom the file whose attributes the store takes, if they must be (re)written
 * @param added keys applied for the first time
 * @param changed keys applied again (new version or retry)
 * @param removed keys whose removal is applied
 * @param quarantined keys quarantined
 * @param unchanged keys already applied or quarantined in this version
 * @param sourceBytes size of the files applied
 */
public record Plan(
    Manifest before,
    Manifest after,
    boolean create,
    StoreSchema schemaAfter,
    NavigableMap<Long, RowSource> rows,
    Map<String, Fingerprint> fingerprints,
    Map<String, NdArray> statics,
    String attributesFrom,
    List<String> added,
    List<String> changed,
    List<String> removed,
    List<String> quarantined,
    int unchanged,
    long sourceBytes) {

  /**
   * What a row shows after the transaction.
   *
   * @param key the source key, or null for a blank row
   * @param index the record's position in the file
   */
  public record RowSource(String key, int index) {
    public static final RowSource BLANK = new RowSource(null, -1);

    public boolean blank() {
      return key == null;
    }
  }

  /** Length of the record dimension before. */
  public long lengthBefore() {
    return before.schema() == null ? 0 : before.schema().record().size();
  }

  /** Length of the record dimension after. */
  public long lengthAfter() {
    return schemaAfter == null ? 0 : schemaAfter.record().size();
  }

  /** True if the store would not change at all: no commit is made. */
  public boolean changesNothing() {
    return rows.isEmpty()
        && !create
        && attributesFrom == null
        && io.zarrsync.core.manifest.ManifestCodec.sameContent(before, after);
  }
}
