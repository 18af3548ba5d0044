package io.zarrsync.netcdf.hdf5;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded chunks that a read used only in part, kept (least recently used first out, bounded in
 * bytes) so that the next slab overlapping them does not inflate them again. Reads whose slabs do
 * not line up with the chunks (Zarr chunks of another shape) would otherwise decode every chunk
 * several times. One cache per open file; thread-safe.
 */
final class ChunkCache {
  /** A chunk of one variable's storage. */
  record Key(Object storage, long chunkIndex) {}

  private final long capacityBytes;
  private final LinkedHashMap<Key, ByteBuffer> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long sizeBytes;

  ChunkCache(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  synchronized ByteBuffer get(Key key) {
    ByteBuffer b = entries.get(key);
    return b == null ? null : b.duplicate();
  }

  /** Keeps {@code decoded} unless it alone exceeds the capacity. */
  synchronized void put(Key key, ByteBuffer decoded) {
    long size = decoded.remaining();
    if (size > capacityBytes) {
      return;
    }
    ByteBuffer old = entries.put(key, decoded.duplicate());
    if (old != null) {
      sizeBytes -= old.remaining();
    }
    sizeBytes += size;
    Iterator<Map.Entry<Key, ByteBuffer>> it = entries.entrySet().iterator();
    while (sizeBytes > capacityBytes && it.hasNext()) {
      Map.Entry<Key, ByteBuffer> eldest = it.next();
      if (eldest.getKey().equals(key)) {
        continue;
      }
      sizeBytes -= eldest.getValue().remaining();
      it.remove();
    }
  }

  synchronized void clear() {
    entries.clear();
    sizeBytes = 0;
  }

  synchronized long sizeBytes() {
    return sizeBytes;
  }
}
