package io.zarrsync.core;

import java.time.Instant;
import java.util.List;

/**
 * One entry of the commit log.
 *
 * @param seq commit sequence number (1, 2, ...)
 * @param txn transaction id
 * @param time when it was committed (the committer's clock)
 * @param operation {@code sync}, {@code apply} or {@code retry}
 * @param applied source keys applied (added or changed)
 * @param removed source keys whose removal was applied
 * @param quarantined source keys quarantined
 * @param rowsWritten rows written with data
 * @param rowsBlanked rows set back to fill
 * @param chunksWritten chunk objects written
 * @param chunksDeleted chunk objects deleted
 * @param records length of the record dimension after the commit
 * @param published true once the commit is visible in the store (false: committed, roll-forward
 *     pending)
 */
public record CommitInfo(
    long seq,
    String txn,
    Instant time,
    String operation,
    List<String> applied,
    List<String> removed,
    List<String> quarantined,
    long rowsWritten,
    long rowsBlanked,
    long chunksWritten,
    long chunksDeleted,
    long records,
    boolean published) {
  public CommitInfo {
    applied = List.copyOf(applied);
    removed = List.copyOf(removed);
    quarantined = List.copyOf(quarantined);
  }
}
