package io.zarrsync.core.txn;

import io.zarrsync.zarr.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A view of a store in which writes go to a transaction's staging area instead of their keys:
 * {@code put(k)} stores the bytes under {@code .zarrsync/txn/<id>/data/k}, {@code delete(k)} is
 * only recorded, and reads see the staged state. Nothing visible to readers of the store changes
 * until the transaction is committed and published. Thread-safe.
 *
 * <p>The Zarr API runs unchanged on top of it, so metadata, chunks and consolidated metadata are
 * staged with the same code that writes them directly.
 */
public final class StagingStore implements Store {
  private final Store base;
  private final String txn;
  private final Set<String> puts = ConcurrentHashMap.newKeySet();
  private final Set<String> deletes = ConcurrentHashMap.newKeySet();

  public StagingStore(Store base, String txn) {
    this.base = base;
    this.txn = txn;
  }

  /** The store underneath. */
  public Store base() {
    return base;
  }

  public String txn() {
    return txn;
  }

  /** Keys written in this transaction, sorted. */
  public List<String> puts() {
    return new ArrayList<>(new TreeSet<>(puts));
  }

  /** Keys deleted in this transaction (and not written again), sorted. */
  public List<String> deletes() {
    return new ArrayList<>(new TreeSet<>(deletes));
  }

  @Override
  public Optional<byte[]> get(String key) {
    if (deletes.contains(key)) {
      return Optional.empty();
    }
    if (puts.contains(key)) {
      return base.get(TxnKeys.staged(txn, key));
    }
    return base.get(key);
  }

  @Override
  public void put(String key, byte[] value) {
    requireData(key);
    CrashPoints.hit("stage");
    base.put(TxnKeys.staged(txn, key), value);
    puts.add(key);
    deletes.remove(key);
  }

  /**
   * Stages {@code value} if the key is absent in the staged view. Only the transaction writes its
   * staging area, so this is not the commit point (that is {@link CommitLog#commit}).
   */
  @Override
  public synchronized boolean putIfAbsent(String key, byte[] value) {
    if (exists(key)) {
      return false;
    }
    put(key, value);
    return true;
  }

  @Override
  public void delete(String key) {
    requireData(key);
    if (puts.remove(key)) {
      base.delete(TxnKeys.staged(txn, key));
    }
    if (base.exists(key)) {
      deletes.add(key);
    }
  }

  @Override
  public boolean exists(String key) {
    if (deletes.contains(key)) {
      return false;
    }
    return puts.contains(key) || base.exists(key);
  }

  @Override
  public List<String> list(String prefix) {
    TreeSet<String> out = new TreeSet<>();
    for (String k : base.list(prefix)) {
      if (!TxnKeys.internal(k) && !deletes.contains(k)) {
        out.add(k);
      }
    }
    for (String k : puts) {
      if (k.startsWith(prefix)) {
        out.add(k);
      }
    }
    return new ArrayList<>(out);
  }

  @Override
  public List<String> listChildren(String dir) {
    TreeSet<String> out = new TreeSet<>();
    for (String c : base.listChildren(dir)) {
      if (!TxnKeys.internal(c) && !deletes.contains(c)) {
        out.add(c);
      }
    }
    for (String k : puts) {
      if (k.startsWith(dir)) {
        int slash = k.indexOf('/', dir.length());
        out.add(slash < 0 ? k : k.substring(0, slash + 1));
      }
    }
    return new ArrayList<>(out);
  }

  @Override
  public String describe() {
    return base.describe() + " (staging " + txn + ")";
  }

  private static void requireData(String key) {
    if (TxnKeys.internal(key)) {
      throw new IllegalArgumentException("not a data key: " + key);
    }
  }
}
