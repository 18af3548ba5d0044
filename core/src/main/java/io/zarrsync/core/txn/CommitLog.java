package io.zarrsync.core.txn;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.api.Retry;
import io.zarrsync.api.StoreException;
import io.zarrsync.core.manifest.Manifest;
import io.zarrsync.core.manifest.ManifestCodec;
import io.zarrsync.zarr.store.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit protocol over a {@link Store}: a commit is the creation of {@code .zarrsync/log/<seq>}
 * (only if absent); publishing copies the staged objects into place, then the staged manifest to
 * {@link TxnKeys#MANIFEST} (whose {@code seq} marks the commit applied), then drops the staging
 * area. {@link #recover()} rolls committed but unpublished records forward and removes staging left
 * by transactions that never committed.
 *
 * <p>Publishing is idempotent (it only copies immutable staged bytes and deletes), so a crash at
 * any point of it is repaired by publishing again.
 */
public final class CommitLog {
  private static final Logger LOG = LoggerFactory.getLogger(CommitLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DELTA_ATTEMPTS = 5;

  private final Store store;
  private final StagedObjects staged;
  private final Retry retry;

  public CommitLog(Store store) {
    this(store, Retry.defaults());
  }

  /**
   * @param retry retries the commit point when its outcome is unknown (after checking whether the
   *     record landed)
   */
  public CommitLog(Store store, Retry retry) {
    this.store = store;
    this.staged = new StagedObjects(store);
    this.retry = retry;
  }

  public Store store() {
    return store;
  }

  /**
   * The manifest of the last applied commit, or empty for a store zarrsync never wrote: the
   * checkpoint, then the deltas of the commits after it, in order.
   *
   * @throws StoreException if the checkpoint or a delta is damaged, or the deltas keep showing a
   *     gap (a concurrent writer replacing the checkpoint is retried)
   */
  public Optional<Manifest> readManifest() {
    for (int attempt = 0; ; attempt++) {
      Optional<byte[]> checkpoint = store.get(TxnKeys.MANIFEST);
      if (checkpoint.isEmpty()) {
        return Optional.empty();
      }
      Manifest m =
          ManifestCodec.decode(checkpoint.get(), store.describe() + "/" + TxnKeys.MANIFEST);
      if (readDeltas(m)) {
        return Optional.of(m);
      }
      if (attempt == DELTA_ATTEMPTS - 1) {
        throw new StoreException(
            store.describe()
                + ": the manifest deltas under "
                + TxnKeys.MANIFEST_DELTAS
                + " do not follow commit "
                + m.seq()
                + " of "
                + TxnKeys.MANIFEST);
      }
    }
  }

  /**
   * Applies the deltas after {@code m}'s commit. Deltas up to it are leftovers of an earlier
   * checkpoint and are skipped.
   *
   * @return false if one is missing (deleted after a newer checkpoint replaced {@code m}'s): read
   *     again
   */
  private boolean readDeltas(Manifest m) {
    for (String key : store.list(TxnKeys.MANIFEST_DELTAS)) {
      long seq = TxnKeys.deltaSeqOf(key);
      if (seq <= m.seq()) {
        continue;
      }
      if (seq != m.seq() + 1) {
        return false;
      }
      Optional<byte[]> delta = store.get(key);
      if (delta.isEmpty()) {
        return false;
      }
      ManifestCodec.applyDelta(m, delta.get(), store.describe() + "/" + key);
    }
    return true;
  }

  /** The record of commit {@code seq}, if it exists. */
  public Optional<CommitRecord> record(long seq) {
    return store.get(TxnKeys.log(seq)).map(b -> decode(b, TxnKeys.log(seq)));
  }

  /** Every record, in commit order. */
  public List<CommitRecord> records() {
    List<CommitRecord> out = new ArrayList<>();
    for (String key : store.list(TxnKeys.LOG)) {
      if (TxnKeys.seqOf(key) > 0) {
        store.get(key).ifPresent(b -> out.add(decode(b, key)));
      }
    }
    return out;
  }

  /**
   * The commit point: creates the record only if no commit {@code record.seq()} exists. When the
   * store cannot say whether the create happened, the record is read back: if it is this
   * transaction's, the commit happened.
   *
   * @return false if another writer committed that sequence number first (nothing was written)
   * @throws StoreException if the store failed and no record of this sequence number can be found;
   *     the caller must not drop the staging area (a delayed create may still land), recovery does
   */
  public boolean commit(CommitRecord record) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode commit record " + record.seq(), e);
    }
    String key = TxnKeys.log(record.seq());
    CrashPoints.hit("commit.before");
    try {
      return retry.callChecked(
          "commit " + key,
          () -> store.putIfAbsent(key, bytes),
          () -> record(record.seq()).map(r -> r.txn().equals(record.txn())));
    } catch (StoreException e) {
      Optional<CommitRecord> found = record(record.seq());
      if (found.isPresent()) {
        LOG.warn(
            "{}: the create of {} failed ({}) but the record is there",
            store.describe(),
            key,
            e.getMessage());
        return found.get().txn().equals(record.txn());
      }
      throw e;
    }
  }

  /** Makes a committed record visible: puts, deletes, manifest, then drops its staging. */
  public void publish(CommitRecord r) {
    publish(r, () -> {});
  }

  /**
   * Makes a committed record visible, running {@code guard} before each step (the lease check: a
   * writer that lost its lease stops publishing and leaves the rest to the next holder).
   */
  public void publish(CommitRecord r, Runnable guard) {
    CrashPoints.hit("commit.after");
    boolean deleted = false;
    for (String key : r.puts()) {
      guard.run();
      CrashPoints.hit("publish");
      if (!deleted && CommitRecord.isMetadata(key)) {
        CrashPoints.hit("publish.metadata");
        deleteAll(r.deletes());
        deleted = true;
      }
      copy(r, key);
    }
    guard.run();
    if (!deleted) {
      deleteAll(r.deletes());
    }
    guard.run();
    CrashPoints.hit("publish.manifest");
    // moved like the chunks (a rename on a local disk): a delta, or a new checkpoint
    boolean delta = TxnKeys.isStagedDelta(r.manifest());
    String target = delta ? TxnKeys.manifestDelta(r.seq()) : TxnKeys.MANIFEST;
    if (!retry.callIdempotent("publish " + target, () -> staged.move(r.manifest(), target))
        && readManifest().map(Manifest::seq).orElse(0L) < r.seq()) {
      throw missing(r, r.manifest());
    }
    CrashPoints.hit("publish.drop");
    try {
      if (!delta) {
        dropDeltasUpTo(r.seq());
      }
      discard(r.txn());
    } catch (StoreException e) {
      // the commit is published; its leftover staging is removed by the next writer's recovery
      LOG.warn(
          "{}: commit {} is published but its staging could not be removed ({}); the next run"
              + " removes it",
          store.describe(),
          r.seq(),
          e.getMessage());
    }
  }

  /** Deletes the deltas a new checkpoint includes (readers skip them anyway). */
  private void dropDeltasUpTo(long seq) {
    for (String key : store.list(TxnKeys.MANIFEST_DELTAS)) {
      long s = TxnKeys.deltaSeqOf(key);
      if (s > 0 && s <= seq) {
        store.delete(key);
      }
    }
  }

  private void deleteAll(List<String> keys) {
    for (String k : keys) {
      retry.runIdempotent("delete " + k, () -> store.delete(k));
    }
  }

  private void copy(CommitRecord r, String key) {
    String from = TxnKeys.staged(r.txn(), key);
    if (!retry.callIdempotent("publish " + key, () -> staged.move(from, key))
        && !store.exists(key)) {
      throw missing(r, from);
    }
  }

  private StoreException missing(CommitRecord r, String key) {
    return new StoreException(
        store.describe()
            + ": commit "
            + r.seq()
            + " cannot be published: staged object "
            + key
            + " is missing");
  }

  /** Deletes the staging area of {@code txn}. */
  public void discard(String txn) {
    staged.drop(TxnKeys.staging(txn));
  }

  /**
   * Rolls forward every committed but unpublished record after the manifest's, then deletes staging
   * areas no commit refers to.
   *
   * @return the manifest after recovery (empty if the store has none yet)
   */
  public Optional<Manifest> recover() {
    return recover(() -> {});
  }

  /**
   * {@link #recover()}, running {@code guard} (the lease check) before each publish step.
   *
   * @return the manifest after recovery (empty if the store has none yet)
   */
  public Optional<Manifest> recover(Runnable guard) {
    return recover(guard, null);
  }

  /**
   * {@link #recover(Runnable)} for a caller that already holds the manifest it last read or wrote:
   * if no commit follows it, it is still current and is not read again.
   */
  public Optional<Manifest> recover(Runnable guard, Manifest known) {
    Optional<Manifest> manifest =
        known != null && known.seq() > 0 && !store.exists(TxnKeys.log(known.seq() + 1))
            ? Optional.of(known)
            : readManifest();
    long seq = manifest.map(Manifest::seq).orElse(0L);
    boolean rolled = false;
    for (Optional<CommitRecord> next = record(seq + 1); next.isPresent(); next = record(seq + 1)) {
      LOG.info(
          "{}: rolling forward commit {} (txn {}) left unpublished",
          store.describe(),
          next.get().seq(),
          next.get().txn());
      publish(next.get(), guard);
      seq = next.get().seq();
      rolled = true;
    }
    guard.run();
    CrashPoints.hit("recover.drop");
    staged.drop(TxnKeys.TXN);
    return rolled ? readManifest() : manifest;
  }

  private static CommitRecord decode(byte[] bytes, String key) {
    try {
      return JSON.readValue(bytes, CommitRecord.class);
    } catch (IOException e) {
      throw new StoreException(key + ": damaged commit record: " + e.getMessage(), e);
    }
  }
}
