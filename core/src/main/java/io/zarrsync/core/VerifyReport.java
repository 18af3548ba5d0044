package io.zarrsync.core;

import java.util.List;

/**
 * The result of re-reading every live source file and comparing it with the store.
 *
 * @param checkedRecords rows compared
 * @param checkedFiles files re-read
 * @param drifts every difference found (empty: the store equals its live files)
 * @param pending keys whose source changed or vanished since they were applied (a sync will apply
 *     them; not drift)
 */
public record VerifyReport(
    long checkedRecords, long checkedFiles, List<Drift> drifts, List<String> pending) {
  public VerifyReport {
    drifts = List.copyOf(drifts);
    pending = List.copyOf(pending);
  }

  /** True if the store equals its live files. */
  public boolean clean() {
    return drifts.isEmpty();
  }

  /**
   * One difference.
   *
   * @param identity the record's identity (or "" for store-wide findings)
   * @param row its row
   * @param key the source key shown there (or "")
   * @param array the array that differs
   * @param reason what differs
   */
  public record Drift(String identity, long row, String key, String array, String reason) {}
}
