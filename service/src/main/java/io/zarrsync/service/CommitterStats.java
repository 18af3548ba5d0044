package io.zarrsync.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of what a {@link Committer} has done, for the status API.
 *
 * @param started when it started
 * @param batches batches applied (successfully or not)
 * @param failedBatches batches whose deliveries were released after an error
 * @param consecutiveFailures failed batches since the last good one (0: healthy)
 * @param events events taken from the feeds
 * @param acked deliveries acknowledged after their commit
 * @param rejected deliveries parked as unusable
 * @param released deliveries given back to their feed after an error
 * @param commits commits created
 * @param lastCommit per collection, the last commit sequence number this committer created
 * @param lastBatch when the last batch finished, or null
 * @param lastError the last error message, or null
 * @param lastErrorAt when it happened, or null
 * @param unmatchedEvents events whose key no collection matched, in all (they are ignored)
 * @param unmatched recent keys no collection matched (newest last, at most 100)
 * @param backlog per feed, deliveries waiting (-1 if unknown)
 */
public record CommitterStats(
    Instant started,
    long batches,
    long failedBatches,
    int consecutiveFailures,
    long events,
    long acked,
    long rejected,
    long released,
    long commits,
    Map<String, Long> lastCommit,
    Instant lastBatch,
    String lastError,
    Instant lastErrorAt,
    long unmatchedEvents,
    List<String> unmatched,
    Map<String, Long> backlog) {}
