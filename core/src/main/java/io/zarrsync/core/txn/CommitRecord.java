package io.zarrsync.core.txn;

import java.util.List;

/**
 * A commit-log record: everything needed to publish a transaction from its staging area, so that
 * any process can finish (roll forward) a commit whose writer died. Created only if absent; that
 * creation is the commit point.
 *
 * @param seq commit sequence number
 * @param txn transaction id (names the staging area)
 * @param time commit time, ISO-8601
 * @param operation {@code sync}, {@code apply} or {@code retry}
 * @param puts store keys to copy from staging, in publish order (chunks first, consolidated
 *     metadata last)
 * @param deletes store keys to delete (published after the chunk puts, before metadata)
 * @param manifest the staged manifest, copied to {@link TxnKeys#MANIFEST} last
 * @param applied source keys applied
 * @param removed source keys removed
 * @param quarantined source keys quarantined
 * @param rowsWritten rows written with data
 * @param rowsBlanked rows set to fill
 * @param chunksWritten chunk objects written
 * @param chunksDeleted chunk objects deleted
 * @param records record-dim length after the commit
 */
public record CommitRecord(
    long seq,
    String txn,
    String time,
    String operation,
    List<String> puts,
    List<String> deletes,
    String manifest,
    List<String> applied,
    List<String> removed,
    List<String> quarantined,
    long rowsWritten,
    long rowsBlanked,
    long chunksWritten,
    long chunksDeleted,
    long records) {
  public CommitRecord {
    puts = List.copyOf(puts);
    deletes = List.copyOf(deletes);
    applied = List.copyOf(applied);
    removed = List.copyOf(removed);
    quarantined = List.copyOf(quarantined);
  }

  /**
   * Sorts keys into publish order: chunks, array metadata, group attributes, .zmetadata, .zgroup.
   */
  public static List<String> publishOrder(List<String> keys) {
    return keys.stream()
        .sorted(
            java.util.Comparator.comparingInt(CommitRecord::publishRank)
                .thenComparing(java.util.Comparator.naturalOrder()))
        .toList();
  }

  /** True for Zarr metadata keys (published after chunks and deletes). */
  public static boolean isMetadata(String key) {
    return publishRank(key) > 0;
  }

  private static int publishRank(String key) {
    if (key.equals(".zgroup")) {
      // last: a store whose first publish was interrupted must not look like a Zarr group
      // without consolidated metadata (which consolidated readers cannot open)
      return 4;
    }
    if (key.equals(".zmetadata")) {
      return 3;
    }
    if (key.equals(".zattrs")) {
      return 2;
    }
    if (key.endsWith("/.zarray") || key.endsWith("/.zattrs")) {
      return 1;
    }
    return 0;
  }
}
