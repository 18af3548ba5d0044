package io.zarrsync.core.plan;

import io.zarrsync.api.InvalidSourceFileException;
import io.zarrsync.core.layout.FileRecords;
import io.zarrsync.core.layout.Layout;
import io.zarrsync.core.layout.StoreSchema;
import io.zarrsync.core.source.Fingerprint;
import io.zarrsync.core.source.OpenedObject;
import io.zarrsync.core.source.Source;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import io.zarrsync.netcdf.ReadOptions;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small cache of open source files (least recently used closed first, never while in use), so
 * that a batch's files are opened once for planning and writing without holding a whole batch open.
 * Thread-safe; one file is read by one thread at a time ({@link Handle#lock()}). Files are opened
 * for sequential reads: the engine already runs one chunk task per core.
 */
public final class OpenFiles implements AutoCloseable {
  private final Source source;
  private final Layout layout;
  private final int capacity;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  public OpenFiles(Source source, Layout layout, int capacity) {
    this.source = source;
    this.layout = layout;
    this.capacity = capacity;
  }

  /** An open file in use; release it when done. */
  public interface Handle extends AutoCloseable {
    String key();

    NetcdfFile file();

    /** The file's records for {@code schema} (computed once per open file and schema). */
    FileRecords records(StoreSchema schema);

    /** Hold this while reading the file: readers are not thread-safe. */
    Object lock();

    Fingerprint fingerprint();

    @Override
    void close();
  }

  private final class Entry implements Handle {
    final String key;
    final OpenedObject object;
    final NetcdfFile file;
    int users;
    StoreSchema schema;
    FileRecords records;

    Entry(String key, OpenedObject object, NetcdfFile file) {
      this.key = key;
      this.object = object;
      this.file = file;
    }

    @Override
    public String key() {
      return key;
    }

    @Override
    public NetcdfFile file() {
      return file;
    }

    // Identity, not equality: a schema grown within a batch is a new object, and comparing
    // schemas deeply on every row read would cost more than re-reading the records.
    @SuppressWarnings("ReferenceEquality")
    @Override
    public synchronized FileRecords records(StoreSchema s) {
      if (records == null || schema != s) {
        records = layout.read(s, key, file);
        schema = s;
      }
      return records;
    }

    @Override
    public Object lock() {
      return this;
    }

    @Override
    public Fingerprint fingerprint() {
      return object.fingerprint();
    }

    @Override
    public void close() {
      release(this);
    }

    void dispose() {
      try {
        file.close();
      } finally {
        object.close();
      }
    }
  }

  /**
   * Opens {@code key} (or reuses it if open).
   *
   * @param expected the fingerprint planned with, or null to accept any version
   * @throws SourceChangedException if the file now has another fingerprint
   * @throws InvalidSourceFileException if it cannot be opened as NetCDF
   */
  public Handle acquire(String key, Fingerprint expected) {
    Entry e;
    synchronized (this) {
      e = entries.get(key);
      if (e != null && expected != null && !e.object.fingerprint().equals(expected)) {
        if (e.users > 0) {
          throw new SourceChangedException(
              key, "changed while it was being read (" + e.object.fingerprint() + ")");
        }
        // an older version of the file, cached by an earlier batch
        entries.remove(key);
        e.dispose();
        e = null;
      }
      if (e != null) {
        e.users++;
        return e;
      }
    }
    OpenedObject object = source.open(key);
    if (expected != null && !object.fingerprint().equals(expected)) {
      object.close();
      throw new SourceChangedException(
          key, "changed since it was planned (" + object.fingerprint() + " vs " + expected + ")");
    }
    NetcdfFile nc;
    try {
      nc = NetcdfFiles.open(object.path(), ReadOptions.SEQUENTIAL);
    } catch (InvalidSourceFileException ex) {
      object.close();
      throw new InvalidSourceFileException(key, ex.reason(), ex);
    } catch (RuntimeException ex) {
      object.close();
      throw ex;
    }
    synchronized (this) {
      Entry raced = entries.get(key);
      if (raced != null) {
        nc.close();
        object.close();
        raced.users++;
        return raced;
      }
      e = new Entry(key, object, nc);
      e.users = 1;
      entries.put(key, e);
      evict();
      return e;
    }
  }

  private synchronized void release(Entry e) {
    e.users--;
    evict();
  }

  /** Closes and forgets {@code key} if open and unused (e.g. after it failed). */
  public synchronized void forget(String key) {
    Entry e = entries.get(key);
    if (e != null && e.users == 0) {
      entries.remove(key);
      e.dispose();
    }
  }

  private void evict() {
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    while (entries.size() > capacity && it.hasNext()) {
      Entry e = it.next().getValue();
      if (e.users == 0) {
        it.remove();
        e.dispose();
      }
    }
  }

  @Override
  public synchronized void close() {
    for (Entry e : entries.values()) {
      e.dispose();
    }
    entries.clear();
  }
}
