package io.zarrsync.core.manifest;

import io.zarrsync.core.source.Fingerprint;

/**
 * A quarantined source file.
 *
 * @param fingerprint the rejected version
 * @param reason why
 * @param since ISO-8601 instant
 * @param seq the commit that recorded it
 */
public record QuarantineState(Fingerprint fingerprint, String reason, String since, long seq) {}
