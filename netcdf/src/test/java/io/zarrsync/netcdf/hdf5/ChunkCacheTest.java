package io.zarrsync.netcdf.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ChunkCacheTest {
  static final int SIZE = 1000;

  static ChunkDecoder.Decoded decoded(byte[] a) {
    return new ChunkDecoder.Decoded(ByteBuffer.wrap(a), 0);
  }

  /** The next array the pool hands out for a chunk of {@link #SIZE} bytes. */
  static byte[] next(ScratchPool pool) {
    try (ScratchPool.Lease lease = pool.lease()) {
      byte[] b = lease.take(SIZE);
      lease.detach(b);
      return b;
    }
  }

  @Test
  void aChunkIsDroppedAndRecycledOnceAllOfItHasBeenRead() {
    ScratchPool pool = new ScratchPool(1 << 20);
    ChunkCache cache = new ChunkCache(1 << 20, pool);
    ChunkCache.Key key = new ChunkCache.Key("v", 3);
    byte[] a = new byte[SIZE];
    a[7] = 42;
    cache.put(key, a, decoded(a), 600);

    ChunkCache.Entry e = cache.acquire(key);
    assertThat(e.data().bytes.get(7)).isEqualTo((byte) 42);
    cache.release(e, 400);
    assertThat(cache.size()).isOne();

    e = cache.acquire(key);
    cache.release(e, 200);
    assertThat(cache.acquire(key)).isNull();
    assertThat(cache.sizeBytes()).isZero();
    assertThat(next(pool)).isSameAs(a);
  }

  @Test
  void anEvictedChunkStaysValidUntilItsReaderReleasesIt() {
    ScratchPool pool = new ScratchPool(1 << 20);
    ChunkCache cache = new ChunkCache(SIZE, pool);
    ChunkCache.Key first = new ChunkCache.Key("v", 0);
    byte[] a = new byte[SIZE];
    cache.put(first, a, decoded(a), 500);
    ChunkCache.Entry held = cache.acquire(first);

    byte[] b = new byte[SIZE];
    cache.put(new ChunkCache.Key("v", 1), b, decoded(b), 500);
    assertThat(cache.acquire(first)).as("evicted: over capacity").isNull();
    assertThat(next(pool)).as("still in use, so not recycled").isNotSameAs(a);

    cache.release(held, 100);
    assertThat(next(pool)).isSameAs(a);
  }

  @Test
  void nothingIsKeptForAChunkWithNothingLeftToRead() {
    ScratchPool pool = new ScratchPool(1 << 20);
    ChunkCache cache = new ChunkCache(1 << 20, pool);
    byte[] a = new byte[SIZE];
    cache.put(new ChunkCache.Key("v", 0), a, decoded(a), 0);
    assertThat(cache.size()).isZero();
    assertThat(next(pool)).isSameAs(a);
  }
}
