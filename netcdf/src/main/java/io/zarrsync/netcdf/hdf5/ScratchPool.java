package io.zarrsync.netcdf.hdf5;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reusable byte arrays for decoding chunks. Chunks of real files are megabytes each; allocating
 * (and zeroing, and page-faulting) two fresh arrays per chunk costs as much as inflating it. One
 * pool per open file, bounded in bytes; thread-safe.
 */
final class ScratchPool {
  private final long capacityBytes;
  private final ArrayDeque<byte[]> free = new ArrayDeque<>();
  private long freeBytes;

  ScratchPool(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  /** Arrays taken for one decode, given back together by {@link Lease#close()}. */
  final class Lease implements AutoCloseable {
    private final List<byte[]> taken = new ArrayList<>(2);

    /** An array of at least {@code size} bytes (contents undefined). */
    byte[] take(int size) {
      byte[] b = ScratchPool.this.take(size);
      taken.add(b);
      return b;
    }

    /**
     * Takes {@code b} out of this lease if it came from it (it then stays valid after {@link
     * #close()}; hand it back with {@link ScratchPool#recycle}).
     *
     * @return whether {@code b} was one of this lease's arrays
     */
    boolean detach(byte[] b) {
      for (int i = 0; i < taken.size(); i++) {
        if (taken.get(i) == b) {
          taken.remove(i);
          return true;
        }
      }
      return false;
    }

    @Override
    public void close() {
      for (byte[] b : taken) {
        give(b);
      }
      taken.clear();
    }
  }

  Lease lease() {
    return new Lease();
  }

  private synchronized byte[] take(int size) {
    for (Iterator<byte[]> it = free.iterator(); it.hasNext(); ) {
      byte[] b = it.next();
      // Reuse only arrays close to the size: a huge array must not serve tiny chunks forever.
      if (b.length >= size && b.length <= 2L * size + 4096) {
        it.remove();
        freeBytes -= b.length;
        return b;
      }
    }
    return new byte[size];
  }

  /** Gives an array back for reuse (one detached from a lease, or one no longer needed). */
  void recycle(byte[] b) {
    give(b);
  }

  private synchronized void give(byte[] b) {
    while (freeBytes + b.length > capacityBytes && !free.isEmpty()) {
      freeBytes -= free.removeLast().length;
    }
    if (b.length <= capacityBytes) {
      free.addFirst(b);
      freeBytes += b.length;
    }
  }

  synchronized void clear() {
    free.clear();
    freeBytes = 0;
  }
}
