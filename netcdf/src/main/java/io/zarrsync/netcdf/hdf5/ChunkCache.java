package io.zarrsync.netcdf.hdf5;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Decoded chunks that a read used only in part, kept until the rest of them has been read (or,
 * bounded in bytes, least recently used first out) so that the next slab overlapping them does not
 * inflate them again. Reads whose slabs do not line up with the chunks (Zarr chunks of another
 * shape) would otherwise decode every chunk several times. The cache owns the arrays it holds and
 * gives each back to the file's {@link ScratchPool} once it is dropped and no reader uses it, so a
 * cached chunk costs neither a copy nor a fresh allocation. One cache per open file; thread-safe.
 */
final class ChunkCache {
  /** A chunk of one variable's storage. */
  record Key(Object storage, long chunkIndex) {}

  /** A cached chunk, held by a reader between {@link #acquire} and {@link #release}. */
  static final class Entry {
    private final Key key;
    private final byte[] array;
    private final ChunkDecoder.Decoded data;
    private long remaining;
    private int users;
    private boolean dropped;
    private boolean recycled;

    private Entry(Key key, byte[] array, ChunkDecoder.Decoded data, long remaining) {
      this.key = key;
      this.array = array;
      this.data = data;
      this.remaining = remaining;
    }

    /** The decoded chunk (a view of its own). */
    ChunkDecoder.Decoded data() {
      return new ChunkDecoder.Decoded(data.bytes.duplicate(), data.shuffled);
    }
  }

  private final long capacityBytes;
  private final ScratchPool pool;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long sizeBytes;

  ChunkCache(long capacityBytes, ScratchPool pool) {
    this.capacityBytes = capacityBytes;
    this.pool = pool;
  }

  /** The cached chunk, which the caller must {@link #release}, or null. */
  synchronized Entry acquire(Key key) {
    Entry e = entries.get(key);
    if (e != null) {
      e.users++;
    }
    return e;
  }

  /**
   * Gives back an entry from {@link #acquire} after {@code deliveredBytes} of it were read; once
   * all of the chunk has been read it is dropped.
   */
  synchronized void release(Entry e, long deliveredBytes) {
    e.users--;
    e.remaining -= deliveredBytes;
    if (e.remaining <= 0 && !e.dropped) {
      drop(e);
    }
    recycleIfUnused(e);
  }

  /**
   * Keeps a decoded chunk, taking ownership of {@code array} (which backs {@code data}), of which
   * {@code remainingBytes} are still to be read. A chunk with nothing left to read, or larger than
   * the whole cache, goes straight back to the pool.
   */
  synchronized void put(Key key, byte[] array, ChunkDecoder.Decoded data, long remainingBytes) {
    if (remainingBytes <= 0 || array.length > capacityBytes) {
      pool.recycle(array);
      return;
    }
    Entry old = entries.get(key);
    if (old != null) {
      drop(old);
      recycleIfUnused(old);
    }
    Entry e =
        new Entry(
            key,
            array,
            new ChunkDecoder.Decoded(data.bytes.duplicate(), data.shuffled),
            remainingBytes);
    entries.put(key, e);
    sizeBytes += array.length;
    Iterator<Entry> it = entries.values().iterator();
    while (sizeBytes > capacityBytes && it.hasNext()) {
      Entry eldest = it.next();
      if (eldest == e) {
        continue;
      }
      it.remove();
      sizeBytes -= eldest.array.length;
      eldest.dropped = true;
      recycleIfUnused(eldest);
    }
  }

  private void drop(Entry e) {
    if (entries.remove(e.key, e)) {
      sizeBytes -= e.array.length;
    }
    e.dropped = true;
  }

  private void recycleIfUnused(Entry e) {
    if (e.dropped && e.users == 0 && !e.recycled) {
      e.recycled = true;
      pool.recycle(e.array);
    }
  }

  synchronized void clear() {
    for (Entry e : entries.values()) {
      e.dropped = true;
    }
    entries.clear();
    sizeBytes = 0;
  }

  synchronized long sizeBytes() {
    return sizeBytes;
  }

  synchronized int size() {
    return entries.size();
  }
}
