package io.zarrsync.core.lease;

import java.time.Instant;

/**
 * The content of one lease object {@code .zarrsync/lease/<epoch>.json}.
 *
 * @param epoch the lease generation; a new holder creates {@code epoch + 1} only if absent, so two
 *     processes can never both take over the same expired lease
 * @param token random id of the holding engine instance (tells "my lease" from "a lease with my
 *     name")
 * @param holder human-readable holder, e.g. {@code zarrsync serve (pid 4242 on host1)}
 * @param host host name of the holder
 * @param pid process id of the holder
 * @param acquired when this epoch was taken
 * @param expires when the lease runs out unless the holder renews it
 * @param released true once the holder gave the lease up (the next writer need not wait)
 * @param spool a directory where other processes may drop event files for this holder, or null
 */
public record LeaseRecord(
    long epoch,
    String token,
    String holder,
    String host,
    long pid,
    Instant acquired,
    Instant expires,
    boolean released,
    String spool) {

  /** True if nobody holds this lease at {@code now}. */
  public boolean free(Instant now) {
    return released || !now.isBefore(expires);
  }

  LeaseRecord renewed(Instant until) {
    return new LeaseRecord(epoch, token, holder, host, pid, acquired, until, false, spool);
  }

  LeaseRecord asReleased(Instant at) {
    return new LeaseRecord(epoch, token, holder, host, pid, acquired, at, true, spool);
  }
}
