package io.zarrsync.core.txn;

/**
 * Where zarrsync keeps its own objects inside a store. Everything lives under {@code .zarrsync/},
 * which Zarr readers ignore (it holds no {@code .zarray} or {@code .zgroup}, and consolidated
 * metadata never lists it).
 */
public final class TxnKeys {
  /** Prefix of every zarrsync object. */
  public static final String ROOT = ".zarrsync/";

  /**
   * The manifest checkpoint: the whole manifest as of some commit. The deltas under {@link
   * #MANIFEST_DELTAS} of the commits after it complete it.
   */
  public static final String MANIFEST = ROOT + "manifest.json";

  /** Manifest deltas, one per commit after the checkpoint, named like log records. */
  public static final String MANIFEST_DELTAS = ROOT + "manifest/";

  /** Commit-log records, one per commit, created only if absent. */
  public static final String LOG = ROOT + "log/";

  /** Staging areas of transactions, one directory per transaction id. */
  public static final String TXN = ROOT + "txn/";

  private TxnKeys() {}

  /** The log record of commit {@code seq}: zero-padded so that listing order is commit order. */
  public static String log(long seq) {
    return LOG + String.format("%020d", seq) + ".json";
  }

  /** The commit sequence number of a log record key, or -1 if it is not one. */
  public static long seqOf(String logKey) {
    return seqOf(LOG, logKey);
  }

  /** The manifest delta of commit {@code seq}. */
  public static String manifestDelta(long seq) {
    return MANIFEST_DELTAS + String.format("%020d", seq) + ".json";
  }

  /** The commit sequence number of a manifest delta key, or -1 if it is not one. */
  public static long deltaSeqOf(String deltaKey) {
    return seqOf(MANIFEST_DELTAS, deltaKey);
  }

  private static long seqOf(String prefix, String key) {
    if (!key.startsWith(prefix) || !key.endsWith(".json")) {
      return -1;
    }
    try {
      return Long.parseLong(key.substring(prefix.length(), key.length() - 5));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The staging directory of transaction {@code txn}. */
  public static String staging(String txn) {
    return TXN + txn + "/";
  }

  /** Where transaction {@code txn} stages the bytes for store key {@code key}. */
  public static String staged(String txn, String key) {
    return staging(txn) + "data/" + key;
  }

  /** Where transaction {@code txn} stages its manifest when it writes a new checkpoint. */
  public static String stagedManifest(String txn) {
    return staging(txn) + "manifest.json";
  }

  /** Where transaction {@code txn} stages its manifest when it writes a delta. */
  public static String stagedManifestDelta(String txn) {
    return staging(txn) + "manifest-delta.json";
  }

  /** True if a staged manifest key (a commit record's {@code manifest}) names a delta. */
  public static boolean isStagedDelta(String stagedKey) {
    return stagedKey.endsWith("/manifest-delta.json");
  }

  /** True for zarrsync's own keys. */
  public static boolean internal(String key) {
    return key.startsWith(ROOT);
  }
}
