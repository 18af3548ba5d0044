package io.zarrsync.core;

import java.util.List;

/**
 * What a {@code sync}, {@code apply} or retry did. Counts are source files unless named otherwise.
 *
 * @param collection collection name
 * @param store store location
 * @param commits the commit sequence numbers created (empty: nothing changed)
 * @param considered keys of this collection looked at (listed, or named by events)
 * @param added files applied for the first time
 * @param changed files applied again because their fingerprint changed (or retried)
 * @param removed files whose removal was applied
 * @param unchanged files already applied or quarantined in the same version
 * @param quarantined entries quarantined by this run
 * @param unmatchedKeys keys that no collection's {@code match} regex matched (reported, not
 *     applied)
 * @param rowsWritten rows along the record dim written with data
 * @param rowsBlanked rows set back to fill
 * @param chunksWritten chunk objects written (all arrays)
 * @param chunksDeleted chunk objects deleted because they became all fill
 * @param sourceBytes bytes of the source files applied
 * @param records length of the record dimension after the run
 * @param seconds wall time
 */
public record SyncReport(
    String collection,
    String store,
    List<Long> commits,
    int considered,
    int added,
    int changed,
    int removed,
    int unchanged,
    List<QuarantineEntry> quarantined,
    List<String> unmatchedKeys,
    long rowsWritten,
    long rowsBlanked,
    long chunksWritten,
    long chunksDeleted,
    long sourceBytes,
    long records,
    double seconds) {
  public SyncReport {
    commits = List.copyOf(commits);
    quarantined = List.copyOf(quarantined);
    unmatchedKeys = List.copyOf(unmatchedKeys);
  }

  /** True if this run created no commit. */
  public boolean unchangedStore() {
    return commits.isEmpty();
  }
}
