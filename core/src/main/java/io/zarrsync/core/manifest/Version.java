package io.zarrsync.core.manifest;

import io.zarrsync.core.layout.Rank;
import java.util.Comparator;

/**
 * One live file's offer for an identity.
 *
 * @param key source key
 * @param index the record's position among the file's records
 * @param rank its rank
 */
public record Version(String key, int index, Rank rank) {
  /** Best first: higher rank, then greater key, then lower index. */
  public static final Comparator<Version> BEST_FIRST =
      Comparator.comparing(Version::rank)
          .thenComparing(Version::key)
          .thenComparing(Version::index, Comparator.reverseOrder())
          .reversed();
}
