package io.zarrsync.core.source;

import java.util.Objects;

/**
 * One object of a {@link Source}.
 *
 * @param key '/'-separated path relative to the source root, e.g. {@code 2022/0101.nc}
 * @param fingerprint size, modification time and etag
 */
public record SourceObject(String key, Fingerprint fingerprint) {
  public SourceObject {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }
}
