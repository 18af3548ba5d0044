package io.zarrsync.core.manifest;

import io.zarrsync.core.layout.StoreSchema;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the engine has applied to a store: the schema, identity to row, the live versions of every
 * identity and the one shown, the applied files and the quarantine. Stored in the store under
 * {@code .zarrsync/} as a checkpoint and a journal of per-commit deltas ({@link ManifestCodec});
 * {@link #seq()} is the last commit applied. Mutable while a transaction is planned on a {@link
 * #copy()}, which records the entries it changes so that a commit can store only those.
 */
public final class Manifest {
  /**
   * Format of the JSON documents written; bump on incompatible changes. 2: an identity's shown
   * version is the index of one of its versions, and a version's index in its file is left out when
   * 0.
   */
  public static final int FORMAT = 2;

  /** The oldest format still read. */
  public static final int OLDEST_FORMAT = 1;

  private long seq;
  private String time;
  private String collection;
  private String layout;
  private StoreSchema schema;
  private String referenceKey;
  private long nextRow;
  private final TreeMap<String, IdentityState> identities = new TreeMap<>();
  private final TreeMap<Long, String> rows = new TreeMap<>();
  private final TreeMap<String, FileState> files = new TreeMap<>();
  private final TreeMap<String, QuarantineState> quarantine = new TreeMap<>();
  // Entries changed since this object was read or copied (what a delta of this commit holds).
  private final Set<String> changedIdentities = new HashSet<>();
  private final Set<String> changedFiles = new HashSet<>();
  private final Set<String> changedQuarantine = new HashSet<>();
  private Journal journal = Journal.EMPTY;

  /** An empty manifest (store not created yet). */
  public Manifest() {}

  /**
   * How the stored form of this manifest is laid out: the size of its checkpoint and the deltas
   * written after it (so that the next commit can decide between a delta and a new checkpoint).
   *
   * @param checkpointBytes size of the checkpoint document
   * @param deltas deltas after the checkpoint
   * @param deltaBytes their total size
   */
  public record Journal(long checkpointBytes, int deltas, long deltaBytes) {
    /** Nothing stored yet. */
    public static final Journal EMPTY = new Journal(0, 0, 0);

    /** Most deltas after a checkpoint: each is one more object to read when a store is opened. */
    public static final int MAX_DELTAS = 16;

    /** This journal with one more delta of {@code bytes}. */
    public Journal plusDelta(long bytes) {
      return new Journal(checkpointBytes, deltas + 1, deltaBytes + bytes);
    }

    /**
     * True if the next commit should write a new checkpoint rather than a delta of {@code bytes}:
     * when there is no checkpoint yet, when the deltas would reach {@link #MAX_DELTAS}, or when
     * they would outweigh half the checkpoint. Either way opening a store reads at most about 1.5
     * times its checkpoint, and a commit writes its checkpoint at most once per {@link #MAX_DELTAS}
     * commits unless the deltas are large.
     */
    public boolean checkpointDue(long bytes) {
      return checkpointBytes == 0
          || deltas + 1 >= MAX_DELTAS
          || deltaBytes + bytes > checkpointBytes / 2;
    }
  }

  /** A deep copy (entries are immutable records). */
  public Manifest copy() {
    Manifest m = new Manifest();
    m.seq = seq;
    m.time = time;
    m.collection = collection;
    m.layout = layout;
    m.schema = schema;
    m.referenceKey = referenceKey;
    m.nextRow = nextRow;
    m.identities.putAll(identities);
    m.rows.putAll(rows);
    m.files.putAll(files);
    m.quarantine.putAll(quarantine);
    m.journal = journal;
    return m;
  }

  /** The stored layout this manifest was read from or written as. */
  public Journal journal() {
    return journal;
  }

  public void setJournal(Journal j) {
    this.journal = j;
  }

  /** Identities put or removed since this object was read or copied. */
  public Set<String> changedIdentities() {
    return Collections.unmodifiableSet(changedIdentities);
  }

  /** Files put or removed since this object was read or copied. */
  public Set<String> changedFiles() {
    return Collections.unmodifiableSet(changedFiles);
  }

  /** Quarantine entries put or removed since this object was read or copied. */
  public Set<String> changedQuarantine() {
    return Collections.unmodifiableSet(changedQuarantine);
  }

  /** Forgets which entries changed (after reading, nothing has). */
  public void clearChanges() {
    changedIdentities.clear();
    changedFiles.clear();
    changedQuarantine.clear();
  }

  /** Entries of every kind, to compare with {@link #changedCount()}. */
  public int entryCount() {
    return identities.size() + files.size() + quarantine.size();
  }

  /** Entries changed since this object was read or copied. */
  public int changedCount() {
    return changedIdentities.size() + changedFiles.size() + changedQuarantine.size();
  }

  public long seq() {
    return seq;
  }

  /** When the last commit was made (ISO-8601), or null. */
  public String time() {
    return time;
  }

  public void setCommit(long newSeq, String newTime) {
    this.seq = newSeq;
    this.time = newTime;
  }

  /** The collection that owns the store, or null for a manifest that has none yet. */
  public String collection() {
    return collection;
  }

  /** The layout that built the store, or null. */
  public String layout() {
    return layout;
  }

  public void setOwner(String collectionName, String layoutName) {
    this.collection = collectionName;
    this.layout = layoutName;
  }

  /** The store's schema, or null before the first file created it. */
  public StoreSchema schema() {
    return schema;
  }

  public void setSchema(StoreSchema s) {
    this.schema = s;
  }

  /** The file whose attributes the store carries, or null. */
  public String referenceKey() {
    return referenceKey;
  }

  public void setReferenceKey(String key) {
    this.referenceKey = key;
  }

  /** The next row an appended identity gets. */
  public long nextRow() {
    return nextRow;
  }

  public void setNextRow(long n) {
    this.nextRow = n;
  }

  public NavigableMap<String, IdentityState> identities() {
    return Collections.unmodifiableNavigableMap(identities);
  }

  /** Row to identity, for every identity with a row. */
  public NavigableMap<Long, String> rows() {
    return Collections.unmodifiableNavigableMap(rows);
  }

  public IdentityState identity(String id) {
    return identities.get(id);
  }

  /** Sets (or with null removes) an identity's state. */
  public void putIdentity(String id, IdentityState state) {
    changedIdentities.add(id);
    IdentityState old = identities.remove(id);
    if (old != null) {
      rows.remove(old.row());
    }
    if (state != null) {
      String other = rows.get(state.row());
      if (other != null && !other.equals(id)) {
        throw new IllegalStateException(
            "row " + state.row() + " is owned by " + other + ", not " + id);
      }
      identities.put(id, state);
      rows.put(state.row(), id);
    }
  }

  public Map<String, FileState> files() {
    return Collections.unmodifiableMap(files);
  }

  public void putFile(String key, FileState state) {
    changedFiles.add(key);
    if (state == null) {
      files.remove(key);
    } else {
      files.put(key, state);
    }
  }

  public Map<String, QuarantineState> quarantine() {
    return Collections.unmodifiableMap(quarantine);
  }

  public void putQuarantine(String key, QuarantineState state) {
    changedQuarantine.add(key);
    if (state == null) {
      quarantine.remove(key);
    } else {
      quarantine.put(key, state);
    }
  }

  /** The highest row whose identity shows a version, or -1. */
  public long maxShownRow() {
    for (Map.Entry<Long, String> e : rows.descendingMap().entrySet()) {
      if (identities.get(e.getValue()).shown() != null) {
        return e.getKey();
      }
    }
    return -1;
  }

  /** The lowest row whose identity shows a version, or -1. */
  public long minShownRow() {
    for (Map.Entry<Long, String> e : rows.entrySet()) {
      if (identities.get(e.getValue()).shown() != null) {
        return e.getKey();
      }
    }
    return -1;
  }
}
