package io.zarrsync.core;

import java.time.Instant;
import java.util.Map;

/**
 * The state of a collection's store.
 *
 * @param collection collection name
 * @param store store location
 * @param initialized true once the first file created the Zarr group
 * @param commit the last applied commit (0: none)
 * @param lastCommitTime when it was committed, or null
 * @param dims current dimension sizes
 * @param recordDim the record dimension
 * @param identities identities with a row (shown or blank)
 * @param shown rows showing a file's record
 * @param liveFiles source files applied
 * @param quarantined source files in quarantine
 * @param filesMissingVariables applied files that lacked a configured variable (filled)
 */
public record StoreStatus(
    String collection,
    String store,
    boolean initialized,
    long commit,
    Instant lastCommitTime,
    Map<String, Long> dims,
    String recordDim,
    long identities,
    long shown,
    long liveFiles,
    long quarantined,
    long filesMissingVariables) {
  public StoreStatus {
    dims = Map.copyOf(dims);
  }
}
