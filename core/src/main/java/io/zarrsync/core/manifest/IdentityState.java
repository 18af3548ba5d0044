package io.zarrsync.core.manifest;

import java.util.List;

/**
 * An identity's row, its live versions and the one shown.
 *
 * @param row the row it owns
 * @param versions live versions (any order)
 * @param shown the version whose data the row holds, or null if the row is blank
 */
public record IdentityState(long row, List<Version> versions, Version shown) {
  public IdentityState {
    versions = List.copyOf(versions);
  }

  /** The best of {@link #versions()}, or null. */
  public Version best() {
    return versions.stream().min(Version.BEST_FIRST).orElse(null);
  }
}
