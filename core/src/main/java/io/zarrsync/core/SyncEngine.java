package io.zarrsync.core;

import io.zarrsync.api.InvalidSourceFileException;
import io.zarrsync.api.NdArray;
import io.zarrsync.api.StoreConflictException;
import io.zarrsync.api.ZarrsyncException;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.layout.ArraySpec;
import io.zarrsync.core.layout.Layout;
import io.zarrsync.core.layout.Layouts;
import io.zarrsync.core.lease.StoreLease;
import io.zarrsync.core.manifest.FileState;
import io.zarrsync.core.manifest.Manifest;
import io.zarrsync.core.manifest.ManifestCodec;
import io.zarrsync.core.manifest.QuarantineState;
import io.zarrsync.core.plan.OpenFiles;
import io.zarrsync.core.plan.Plan;
import io.zarrsync.core.plan.PlanWriter;
import io.zarrsync.core.plan.Planner;
import io.zarrsync.core.plan.SourceChangedException;
import io.zarrsync.core.source.Fingerprint;
import io.zarrsync.core.source.Source;
import io.zarrsync.core.source.SourceKeys;
import io.zarrsync.core.source.SourceObject;
import io.zarrsync.core.txn.CommitLog;
import io.zarrsync.core.txn.CommitRecord;
import io.zarrsync.core.txn.StagingStore;
import io.zarrsync.core.txn.TxnKeys;
import io.zarrsync.zarr.ZarrGroup;
import io.zarrsync.zarr.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one collection's Zarr store equal to what its live source files say.
 *
 * <p>{@link #sync} reconciles the store with a listing of the source; {@link #apply} takes event
 * hints (each checked against the source); both plan the difference between the source and the
 * manifest kept in the store, and apply it in transactions of at most {@link
 * EngineOptions#batchSize()} files. A transaction is staged under {@code .zarrsync/}, committed by
 * creating its commit-log record only if absent, then published; a run that changes nothing creates
 * no commit. Files that cannot be applied are quarantined with the reason; the rest of the batch
 * commits.
 *
 * <p>One writer per store at a time: before its first write the engine takes the store's lease
 * ({@link StoreLease}; a second writer gets {@link io.zarrsync.api.LeaseHeldException} naming the
 * holder, after waiting up to {@link io.zarrsync.core.lease.LeaseOptions#waitFor()}), and keeps it
 * until {@link #close()}. Read-only operations ({@link #status}, {@link #log}, {@link #quarantine},
 * {@link #verify}) need no lease and never write. Even a writer whose lease lapsed unnoticed cannot
 * commit over another's commit: the commit point is a create-if-absent. Methods are synchronized.
 * Close the engine to release the lease and open source files.
 */
public final class SyncEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);
  private static final int ATTEMPTS = 5;

  /** Threads writing staged objects; writes wait on the disk or network, not on the CPU. */
  private static final int IO_THREADS = 4;

  private final CollectionConfig config;
  private final Source source;
  private final Store store;
  private final EngineOptions options;
  private final Layout layout;
  private final CommitLog log;
  private final OpenFiles files;
  private final Planner planner;
  private final PlanWriter writer;
  private final java.util.concurrent.ExecutorService io;
  private final Map<String, NdArray> statics = new HashMap<>();
  private Manifest manifest;
  private StoreLease lease;

  private SyncEngine(CollectionConfig config, Source source, Store store, EngineOptions options) {
    this.config = config;
    this.source = source;
    this.store = store;
    this.options = options;
    this.layout = Layouts.create(config);
    this.log = new CommitLog(store, options.retry());
    this.files = new OpenFiles(source, layout, options.openFiles());
    this.planner = new Planner(layout, files, this::storeStatic);
    this.io =
        java.util.concurrent.Executors.newFixedThreadPool(
            IO_THREADS,
            r -> {
              Thread t = new Thread(r, "zarrsync-io-" + config.name());
              t.setDaemon(true);
              return t;
            });
    this.writer =
        new PlanWriter(config, layout, files, options.executor(), options.parallelism(), io);
  }

  /**
   * Opens the engine of {@code config} on {@code store}. Nothing is written until the first write
   * operation, which takes the lease and then finishes any commit a previous writer left
   * unpublished and removes staging of transactions that never committed.
   *
   * @throws ZarrsyncException if the store holds Zarr data zarrsync did not write
   * @throws io.zarrsync.api.StoreException if the store cannot be read
   */
  public static SyncEngine open(
      CollectionConfig config, Source source, Store store, EngineOptions options) {
    SyncEngine e = new SyncEngine(config, source, store, options);
    try {
      e.refresh(false);
    } catch (RuntimeException ex) {
      e.close();
      throw ex;
    }
    return e;
  }

  /**
   * Takes the store's lease now (a write operation would take it anyway) and recovers the store.
   *
   * @throws io.zarrsync.api.LeaseHeldException if another writer holds it after the wait
   */
  public synchronized void acquireLease() {
    refresh(true);
  }

  /**
   * Releases the store's lease now, if this engine holds one, and stays open: the next write
   * operation takes the lease again (and recovers the store under it). For writers that stay open
   * between bursts of work, such as a warm AWS Lambda container, so that other writers (a backfill
   * {@code sync}) are not kept waiting in between.
   */
  public synchronized void releaseLease() {
    if (lease != null) {
      try {
        lease.close();
      } finally {
        lease = null;
      }
    }
  }

  /** The lease this engine holds, if it took one. */
  public synchronized Optional<io.zarrsync.core.lease.LeaseRecord> heldLease() {
    return lease == null ? Optional.empty() : Optional.of(lease.record());
  }

  public CollectionConfig config() {
    return config;
  }

  /**
   * Reads the manifest. For a write, first takes the lease (once) and recovers the store under it;
   * a read never writes, so it sees the last published commit.
   */
  private void refresh(boolean write) {
    Optional<Manifest> m;
    if (write) {
      if (lease != null && !lease.stillHeld()) {
        LOG.warn("{}: this writer's lease was lost; taking a new one", store.describe());
        lease.close();
        lease = null;
      }
      if (lease == null) {
        lease = StoreLease.acquire(store, options.lease(), options.clock(), options.retry());
      }
      lease.check();
      m = log.recover(lease::check, manifest);
    } else {
      m = log.readManifest();
    }
    if (m.isEmpty() && ZarrGroup.exists(store) && log.record(1).isEmpty()) {
      throw new ZarrsyncException(
          store.describe()
              + " holds a Zarr group that zarrsync did not write (no "
              + TxnKeys.MANIFEST
              + "); use an empty store or one zarrsync manages");
    }
    Manifest next = m.orElseGet(Manifest::new);
    if (next.collection() != null
        && (!next.collection().equals(config.name()) || !config.layout().equals(next.layout()))) {
      throw new ZarrsyncException(
          store.describe()
              + " belongs to collection '"
              + next.collection()
              + "' (layout "
              + next.layout()
              + "), not to '"
              + config.name()
              + "' (layout "
              + config.layout()
              + "); give each collection its own store");
    }
    next.setOwner(config.name(), config.layout());
    if (manifest == null || manifest.seq() != next.seq()) {
      statics.clear();
    }
    manifest = next;
  }

  // ---------------------------------------------------------------- operations

  /**
   * Reconciles the store with the source's listing: files that are new or changed are applied,
   * files gone from the source are removed, keys matching no collection are reported.
   */
  public synchronized SyncReport sync(ProgressListener progress) {
    refresh(true);
    Instant started = options.clock().instant();
    progress.begin("scan", 1);
    Map<String, Optional<Fingerprint>> current = new TreeMap<>();
    List<String> unmatched = new ArrayList<>();
    for (SourceObject o : source.list()) {
      if (config.matches(o.key())) {
        current.put(o.key(), Optional.of(o.fingerprint()));
      } else {
        unmatched.add(o.key());
      }
    }
    for (String key : manifest.files().keySet()) {
      current.putIfAbsent(key, Optional.empty());
    }
    for (String key : manifest.quarantine().keySet()) {
      current.putIfAbsent(key, Optional.empty());
    }
    progress.advance(1);
    return run("sync", current, Set.of(), unmatched, started, progress);
  }

  /**
   * Applies event hints. Each key is checked against the source: present means created or changed,
   * absent means removed, whatever the event said; repeated events change nothing.
   *
   * @throws ZarrsyncException if a key escapes the source root
   */
  public synchronized SyncReport apply(List<SourceEvent> events, ProgressListener progress) {
    refresh(true);
    Instant started = options.clock().instant();
    Map<String, Optional<Fingerprint>> current = new TreeMap<>();
    List<String> unmatched = new ArrayList<>();
    for (SourceEvent e : events) {
      String key = SourceKeys.normalize(e.key());
      if (!config.matches(key)) {
        if (!unmatched.contains(key)) {
          unmatched.add(key);
        }
        continue;
      }
      if (!current.containsKey(key)) {
        current.put(key, source.stat(key).map(SourceObject::fingerprint));
      }
    }
    return run("apply", current, Set.of(), unmatched, started, progress);
  }

  /**
   * Reads quarantined files again, whether or not they changed.
   *
   * @param keys the keys to retry; empty for every quarantined file
   */
  public synchronized SyncReport retryQuarantined(List<String> keys, ProgressListener progress) {
    refresh(true);
    Instant started = options.clock().instant();
    Set<String> retry = new TreeSet<>();
    if (keys.isEmpty()) {
      retry.addAll(manifest.quarantine().keySet());
    } else {
      for (String k : keys) {
        retry.add(SourceKeys.normalize(k));
      }
    }
    Map<String, Optional<Fingerprint>> current = new TreeMap<>();
    List<String> unmatched = new ArrayList<>();
    for (String key : retry) {
      if (config.matches(key)) {
        current.put(key, source.stat(key).map(SourceObject::fingerprint));
      } else {
        unmatched.add(key);
      }
    }
    return run("retry", current, retry, unmatched, started, progress);
  }

  /** The store's current state (from the manifest; no source access). */
  public synchronized StoreStatus status() {
    refresh(false);
    Map<String, Long> dims = new LinkedHashMap<>();
    String recordDim = null;
    if (manifest.schema() != null) {
      manifest.schema().dims().forEach(d -> dims.put(d.name(), d.size()));
      recordDim = manifest.schema().recordDim();
    }
    long shown = manifest.identities().values().stream().filter(s -> s.shown() != null).count();
    long missing = manifest.files().values().stream().filter(f -> !f.missing().isEmpty()).count();
    return new StoreStatus(
        config.name(),
        store.describe(),
        manifest.schema() != null,
        manifest.seq(),
        manifest.time() == null ? null : Instant.parse(manifest.time()),
        dims,
        recordDim,
        manifest.identities().size(),
        shown,
        manifest.files().size(),
        manifest.quarantine().size(),
        missing);
  }

  /** Every commit, oldest first. */
  public synchronized List<CommitInfo> log() {
    refresh(false);
    List<CommitInfo> out = new ArrayList<>();
    for (CommitRecord r : log.records()) {
      out.add(
          new CommitInfo(
              r.seq(),
              r.txn(),
              Instant.parse(r.time()),
              r.operation(),
              r.applied(),
              r.removed(),
              r.quarantined(),
              r.rowsWritten(),
              r.rowsBlanked(),
              r.chunksWritten(),
              r.chunksDeleted(),
              r.records(),
              r.seq() <= manifest.seq()));
    }
    return out;
  }

  /** The quarantined files, by key. */
  public synchronized List<QuarantineEntry> quarantine() {
    refresh(false);
    List<QuarantineEntry> out = new ArrayList<>();
    manifest.quarantine().forEach((k, q) -> out.add(entry(k, q)));
    return out;
  }

  /** Which applied files lacked configured variables (filled), by key. */
  public synchronized Map<String, List<String>> missingVariables() {
    refresh(false);
    Map<String, List<String>> out = new TreeMap<>();
    manifest
        .files()
        .forEach(
            (k, f) -> {
              if (!f.missing().isEmpty()) {
                out.put(k, f.missing());
              }
            });
    return out;
  }

  /**
   * Re-reads every live source file and compares each shown region, blank row and static array with
   * the store.
   */
  public synchronized VerifyReport verify(ProgressListener progress) {
    refresh(false);
    return new Verifier(layout, files, source, store, manifest).verify(progress);
  }

  /** Releases the lease (if taken) and the open source files. */
  @Override
  public synchronized void close() {
    io.shutdown();
    try {
      files.close();
    } finally {
      if (lease != null) {
        lease.close();
        lease = null;
      }
    }
  }

  // ---------------------------------------------------------------- transactions

  private static QuarantineEntry entry(String key, QuarantineState q) {
    return new QuarantineEntry(key, q.reason(), q.fingerprint(), Instant.parse(q.since()), q.seq());
  }

  private boolean unchanged(String key, Optional<Fingerprint> fp, Set<String> force) {
    FileState f = manifest.files().get(key);
    QuarantineState q = manifest.quarantine().get(key);
    if (fp.isEmpty()) {
      return f == null && q == null;
    }
    return !force.contains(key)
        && ((f != null && f.fingerprint().equals(fp.get()))
            || (q != null && q.fingerprint().equals(fp.get())));
  }

  private SyncReport run(
      String operation,
      Map<String, Optional<Fingerprint>> current,
      Set<String> force,
      List<String> unmatched,
      Instant started,
      ProgressListener progress) {
    List<String> pending = new ArrayList<>();
    int unchanged = 0;
    for (Map.Entry<String, Optional<Fingerprint>> e : current.entrySet()) {
      if (unchanged(e.getKey(), e.getValue(), force)) {
        unchanged++;
      } else {
        pending.add(e.getKey());
      }
    }
    Totals totals = new Totals();
    for (int i = 0; i < pending.size(); i += options.batchSize()) {
      Map<String, Optional<Fingerprint>> batch = new TreeMap<>();
      for (String key : pending.subList(i, Math.min(pending.size(), i + options.batchSize()))) {
        batch.put(key, current.get(key));
      }
      transact(operation, batch, force, totals, progress);
    }
    double seconds = (options.clock().millis() - started.toEpochMilli()) / 1000.0;
    List<QuarantineEntry> quarantined = new ArrayList<>();
    for (String key : totals.quarantined) {
      QuarantineState q = manifest.quarantine().get(key);
      if (q != null) {
        quarantined.add(entry(key, q));
      }
    }
    return new SyncReport(
        config.name(),
        store.describe(),
        totals.commits,
        current.size(),
        totals.added,
        totals.changed,
        totals.removed,
        unchanged + totals.unchanged,
        quarantined,
        unmatched,
        totals.rowsWritten,
        totals.rowsBlanked,
        totals.chunksWritten,
        totals.chunksDeleted,
        totals.sourceBytes,
        manifest.schema() == null ? 0 : manifest.schema().record().size(),
        seconds);
  }

  private static final class Totals {
    final List<Long> commits = new ArrayList<>();
    final List<String> quarantined = new ArrayList<>();
    int added;
    int changed;
    int removed;
    int unchanged;
    long rowsWritten;
    long rowsBlanked;
    long chunksWritten;
    long chunksDeleted;
    long sourceBytes;
  }

  private void transact(
      String operation,
      Map<String, Optional<Fingerprint>> batch,
      Set<String> force,
      Totals totals,
      ProgressListener progress) {
    Map<String, String> forcedQuarantine = new TreeMap<>();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Instant began = options.clock().instant();
      Manifest base = manifest;
      Plan plan;
      try {
        plan = planner.plan(base, batch, force, forcedQuarantine, began, progress);
      } catch (SourceChangedException e) {
        batch.put(e.key(), source.stat(e.key()).map(SourceObject::fingerprint));
        continue;
      }
      if (plan.changesNothing()) {
        totals.unchanged += batch.size() - plan.quarantined().size();
        totals.quarantined.addAll(plan.quarantined());
        return;
      }
      long seq = base.seq() + 1;
      if (store.exists(TxnKeys.log(seq))) {
        throw conflict(seq);
      }
      String txn = began.toEpochMilli() + "-" + UUID.randomUUID().toString().substring(0, 8);
      StagingStore staging = new StagingStore(store, txn);
      try {
        writer.write(plan, staging, progress);
      } catch (PlanWriter.SourceFailure f) {
        log.discard(txn);
        if (f.getCause() instanceof InvalidSourceFileException bad) {
          forcedQuarantine.put(f.key(), bad.reason());
          files.forget(f.key());
          continue;
        }
        if (f.getCause() instanceof SourceChangedException) {
          batch.put(f.key(), source.stat(f.key()).map(SourceObject::fingerprint));
          files.forget(f.key());
          continue;
        }
        throw f;
      } catch (SourceChangedException e) {
        log.discard(txn);
        batch.put(e.key(), source.stat(e.key()).map(SourceObject::fingerprint));
        files.forget(e.key());
        continue;
      } catch (RuntimeException e) {
        discardQuietly(txn, e);
        throw e;
      }
      Manifest after = plan.after();
      Instant committed = options.clock().instant();
      after.setCommit(seq, committed.toString());
      String stagedManifest = stageManifest(base, after, txn);
      long rowsWritten = 0;
      long rowsBlanked = 0;
      for (Map.Entry<Long, Plan.RowSource> e : plan.rows().entrySet()) {
        if (e.getValue().blank() || e.getKey() >= plan.lengthAfter()) {
          rowsBlanked++;
        } else {
          rowsWritten++;
        }
      }
      List<String> puts = CommitRecord.publishOrder(staging.puts());
      long chunksWritten = puts.stream().filter(k -> !CommitRecord.isMetadata(k)).count();
      List<String> applied = new ArrayList<>(plan.added());
      applied.addAll(plan.changed());
      CommitRecord record =
          new CommitRecord(
              seq,
              txn,
              committed.toString(),
              operation,
              puts,
              staging.deletes(),
              stagedManifest,
              applied,
              plan.removed(),
              plan.quarantined(),
              rowsWritten,
              rowsBlanked,
              chunksWritten,
              staging.deletes().size(),
              plan.lengthAfter());
      lease.checkBeforeCommit();
      if (!log.commit(record)) {
        log.discard(txn);
        throw conflict(seq);
      }
      try {
        log.publish(record, lease::check);
      } catch (RuntimeException e) {
        throw new io.zarrsync.api.StoreException(
            store.describe()
                + ": commit "
                + seq
                + " is committed but publishing it failed ("
                + e.getMessage()
                + "); the store stays readable, and the next write to it finishes publishing",
            e);
      }
      manifest = after;
      totals.commits.add(seq);
      totals.added += plan.added().size();
      totals.changed += plan.changed().size();
      totals.removed += plan.removed().size();
      totals.unchanged += plan.unchanged();
      totals.quarantined.addAll(plan.quarantined());
      totals.rowsWritten += rowsWritten;
      totals.rowsBlanked += rowsBlanked;
      totals.chunksWritten += chunksWritten;
      totals.chunksDeleted += record.chunksDeleted();
      totals.sourceBytes += plan.sourceBytes();
      LOG.info(
          "{} commit {} ({}): +{} ~{} -{} files, {} quarantined; rows {} written {} blanked;"
              + " chunks {} written {} deleted; {} {} in {} ms",
          config.name(),
          seq,
          operation,
          plan.added().size(),
          plan.changed().size(),
          plan.removed().size(),
          plan.quarantined().size(),
          rowsWritten,
          rowsBlanked,
          chunksWritten,
          record.chunksDeleted(),
          plan.lengthAfter(),
          plan.schemaAfter() == null ? "records" : plan.schemaAfter().recordDim(),
          options.clock().millis() - began.toEpochMilli());
      return;
    }
    throw new ZarrsyncException(
        config.name()
            + ": gave up on a batch after "
            + ATTEMPTS
            + " attempts (source keeps changing)");
  }

  /**
   * Stages the manifest after this commit: the delta from {@code base} when the store has a
   * checkpoint and the journal is short, else a new checkpoint (so that a commit's manifest work
   * does not grow with the store, see {@link Manifest.Journal#checkpointDue}).
   *
   * @return the staged key, for the commit record
   */
  private String stageManifest(Manifest base, Manifest after, String txn) {
    if (base.seq() > 0) {
      byte[] delta = ManifestCodec.encodeDelta(base, after);
      if (!base.journal().checkpointDue(delta.length)) {
        String key = TxnKeys.stagedManifestDelta(txn);
        store.put(key, delta);
        after.setJournal(base.journal().plusDelta(delta.length));
        after.clearChanges();
        return key;
      }
    }
    byte[] checkpoint = ManifestCodec.encode(after);
    String key = TxnKeys.stagedManifest(txn);
    store.put(key, checkpoint);
    after.setJournal(new Manifest.Journal(checkpoint.length, 0, 0));
    after.clearChanges();
    return key;
  }

  /** Drops a failed transaction's staging; a failure to do so must not hide the first error. */
  private void discardQuietly(String txn, RuntimeException cause) {
    try {
      log.discard(txn);
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private StoreConflictException conflict(long seq) {
    return new StoreConflictException(
        store.describe()
            + ": another writer committed "
            + seq
            + " first; nothing was published by this run, retry it");
  }

  private NdArray storeStatic(ArraySpec spec) {
    return statics.computeIfAbsent(
        spec.name(),
        n -> {
          var array =
              ZarrGroup.open(store)
                  .array(n)
                  .orElseThrow(
                      () ->
                          new ZarrsyncException(store.describe() + ": array " + n + " is missing"));
          long[] shape = array.metadata().shapeArray();
          int[] count = new int[shape.length];
          for (int i = 0; i < shape.length; i++) {
            count[i] = Math.toIntExact(shape[i]);
          }
          return array.read(new long[shape.length], count);
        });
  }
}
