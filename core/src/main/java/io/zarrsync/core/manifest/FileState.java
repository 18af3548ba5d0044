package io.zarrsync.core.manifest;

import io.zarrsync.core.source.Fingerprint;
import java.util.List;

/**
 * An applied source file.
 *
 * @param fingerprint the applied version
 * @param identities the identities its records offer, in record order
 * @param missing configured arrays the file lacks (filled)
 */
public record FileState(Fingerprint fingerprint, List<String> identities, List<String> missing) {
  public FileState {
    identities = List.copyOf(identities);
    missing = List.copyOf(missing);
  }
}
