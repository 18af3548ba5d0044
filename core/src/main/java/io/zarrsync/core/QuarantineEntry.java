package io.zarrsync.core;

import io.zarrsync.core.source.Fingerprint;
import java.time.Instant;

/**
 * A source file that could not be applied. It stays out of the store until its fingerprint changes
 * or it is retried explicitly.
 *
 * @param key source key
 * @param reason why, naming the variable where there is one
 * @param fingerprint the version that was rejected
 * @param since when it was quarantined
 * @param commit the commit that recorded it
 */
public record QuarantineEntry(
    String key, String reason, Fingerprint fingerprint, Instant since, long commit) {}
