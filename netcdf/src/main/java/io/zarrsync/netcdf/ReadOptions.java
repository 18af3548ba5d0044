package io.zarrsync.netcdf;

/**
 * How an opened file decodes its data.
 *
 * @param parallelDecode whether a read that spans several stored chunks decodes them in parallel on
 *     the common fork-join pool. Right for a lone caller reading a large box; wrong for callers
 *     that already run one read per core (the sync engine, {@code convert}): there the extra
 *     threads only compete for the same cores and spin waiting for each other.
 */
public record ReadOptions(boolean parallelDecode) {
  /** Parallel decoding of reads spanning several chunks. */
  public static final ReadOptions DEFAULTS = new ReadOptions(true);

  /** Every read decodes on the calling thread. */
  public static final ReadOptions SEQUENTIAL = new ReadOptions(false);
}
