package io.zarrsync.core.txn;

/**
 * Where zarrsync keeps its own objects inside a store. Everything lives under {@code .zarrsync/},
 * which Zarr readers ignore (it holds no {@code .zarray} or {@code .zgroup}, and consolidated
 * metadata never lists it).
 */
public final class TxnKeys {
  /** Prefix of every zarrsync object. */
  public static final String ROOT = ".zarrsync/";

  /** The manifest of the last applied commit. */
  public static final String MANIFEST = ROOT + "manifest.json";

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
    if (!logKey.startsWith(LOG) || !logKey.endsWith(".json")) {
      return -1;
    }
    try {
      return Long.parseLong(logKey.substring(LOG.length(), logKey.length() - 5));
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

  /** Where transaction {@code txn} stages its manifest. */
  public static String stagedManifest(String txn) {
    return staging(txn) + "manifest.json";
  }

  /** True for zarrsync's own keys. */
  public static boolean internal(String key) {
    return key.startsWith(ROOT);
  }
}
