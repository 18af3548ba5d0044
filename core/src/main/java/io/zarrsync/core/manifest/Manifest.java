package io.zarrsync.core.manifest;

import io.zarrsync.core.layout.StoreSchema;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What the engine has applied to a store: the schema, identity to row, the live versions of every
 * identity and the one shown, the applied files and the quarantine. Stored in the store under
 * {@code .zarrsync/}; {@link #seq()} is the last commit applied. Mutable while a transaction is
 * planned on a {@link #copy()}.
 */
public final class Manifest {
  /** Format of the JSON document; bump on incompatible changes. */
  public static final int FORMAT = 1;

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

  /** An empty manifest (store not created yet). */
  public Manifest() {}

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
    return m;
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
    return java.util.Collections.unmodifiableNavigableMap(identities);
  }

  /** Row to identity, for every identity with a row. */
  public NavigableMap<Long, String> rows() {
    return java.util.Collections.unmodifiableNavigableMap(rows);
  }

  public IdentityState identity(String id) {
    return identities.get(id);
  }

  /** Sets (or with null removes) an identity's state. */
  public void putIdentity(String id, IdentityState state) {
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
    return java.util.Collections.unmodifiableMap(files);
  }

  public void putFile(String key, FileState state) {
    if (state == null) {
      files.remove(key);
    } else {
      files.put(key, state);
    }
  }

  public Map<String, QuarantineState> quarantine() {
    return java.util.Collections.unmodifiableMap(quarantine);
  }

  public void putQuarantine(String key, QuarantineState state) {
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
