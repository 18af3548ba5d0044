package io.zarrsync.netcdf.hdf5;

import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.filter.PipelineFilterWithData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A chunked dataset read chunk by chunk: each chunk the box touches is decoded once (see {@link
 * ChunkDecoder}) and its part copied straight into the output, so a slab exists once in memory plus
 * one decoded chunk per worker. Chunks never written read as the fill value, as in HDF5 (jhdf's own
 * sliced read gives zeros there). Unless the file was opened for sequential reads ({@link
 * io.zarrsync.netcdf.ReadOptions}), boxes spanning several chunks decode them in parallel on the
 * common fork-join pool.
 */
final class ChunkedStorage implements RawStorage {
  /** Below this many output bytes the fork-join overhead is not worth it. */
  private static final long PARALLEL_MIN_BYTES = 1 << 20;

  private final ChunkedDataset dataset;
  private final long[] extent;
  private final int[] chunk;
  private final long[] chunkShape;
  private final long[] gridStride;
  private final int elementSize;
  private final byte[] fill;
  private final ChunkDecoder decoder;
  private final ChunkCache cache;
  private final ScratchPool pool;
  private final boolean parallel;

  ChunkedStorage(
      ChunkedDataset dataset,
      List<PipelineFilterWithData> filters,
      long[] extent,
      int elementSize,
      byte[] fill,
      ChunkCache cache,
      ScratchPool pool,
      boolean parallel) {
    this.dataset = dataset;
    this.parallel = parallel;
    this.extent = extent.clone();
    this.chunk = dataset.getChunkDimensions().clone();
    this.elementSize = elementSize;
    this.fill = fill.clone();
    this.cache = cache;
    this.pool = pool;
    int rank = chunk.length;
    if (rank != extent.length) {
      throw new Hdf5ContentException(
          "chunk rank " + rank + " does not match dataset rank " + extent.length);
    }
    chunkShape = new long[rank];
    gridStride = new long[rank];
    long chunkElements = 1;
    long stride = 1;
    for (int d = rank - 1; d >= 0; d--) {
      if (chunk[d] <= 0) {
        throw new Hdf5ContentException("chunk shape has an empty extent");
      }
      chunkShape[d] = chunk[d];
      chunkElements *= chunk[d];
      gridStride[d] = stride;
      stride *= Math.max(1, (extent[d] + chunk[d] - 1) / chunk[d]);
    }
    long chunkBytes = chunkElements * elementSize;
    if (chunkBytes > Integer.MAX_VALUE - 16) {
      throw new Hdf5ContentException("chunks of " + chunkBytes + " bytes are too large");
    }
    this.decoder = new ChunkDecoder(dataset, filters, (int) chunkBytes, elementSize);
  }

  @Override
  public int[] chunkShape() {
    return chunk.clone();
  }

  @Override
  public void read(long[] origin, int[] count, byte[] out) {
    int rank = chunk.length;
    long[] first = new long[rank];
    long[] last = new long[rank];
    for (int d = 0; d < rank; d++) {
      first[d] = origin[d] / chunk[d];
      last[d] = (origin[d] + count[d] - 1) / chunk[d];
    }
    List<long[]> chunks = new ArrayList<>();
    long[] idx = first.clone();
    while (true) {
      chunks.add(idx.clone());
      int d = rank - 1;
      while (d >= 0 && ++idx[d] > last[d]) {
        idx[d] = first[d];
        d--;
      }
      if (d < 0) {
        break;
      }
    }
    if (parallel && chunks.size() > 1 && out.length >= PARALLEL_MIN_BYTES) {
      chunks.parallelStream().forEach(c -> copyChunk(c, origin, count, out));
    } else {
      for (long[] c : chunks) {
        copyChunk(c, origin, count, out);
      }
    }
  }

  // The backing array is only compared with the lease's arrays and handed to the cache as the
  // thing to recycle; the bytes are always read through the buffer (with its offset).
  @SuppressWarnings("ByteBufferBackingArray")
  private void copyChunk(long[] gridIndex, long[] origin, int[] count, byte[] out) {
    int rank = chunk.length;
    int[] chunkOffset = new int[rank];
    long[] srcOrigin = new long[rank];
    int[] dstOrigin = new int[rank];
    int[] part = new int[rank];
    long partElements = 1;
    long validElements = 1;
    long linear = 0;
    for (int d = 0; d < rank; d++) {
      long start = gridIndex[d] * chunk[d];
      long from = Math.max(start, origin[d]);
      long to = Math.min(start + chunk[d], origin[d] + count[d]);
      chunkOffset[d] = Math.toIntExact(start);
      srcOrigin[d] = from - start;
      dstOrigin[d] = (int) (from - origin[d]);
      part[d] = (int) (to - from);
      partElements *= part[d];
      validElements *= Math.min(chunk[d], extent[d] - start);
      linear += gridIndex[d] * gridStride[d];
    }
    long partBytes = partElements * elementSize;
    ChunkCache.Key key = new ChunkCache.Key(this, linear);
    ChunkCache.Entry cached = cache.acquire(key);
    if (cached != null) {
      try {
        copyRuns(cached.data(), srcOrigin, count, dstOrigin, part, out);
      } finally {
        cache.release(cached, partBytes);
      }
      return;
    }
    try (ScratchPool.Lease lease = pool.lease()) {
      ChunkDecoder.Decoded decoded = load(chunkOffset, lease);
      if (decoded == null) {
        Boxes.fill(out, count, dstOrigin, part, fill);
        return;
      }
      copyRuns(decoded, srcOrigin, count, dstOrigin, part, out);
      long left = (validElements - partElements) * elementSize;
      if (left > 0) {
        // The rest of the chunk is read later (the next slab): keep it, in its own array if
        // the decoded bytes live in one of the lease's, which the cache then owns.
        ByteBuffer bytes = decoded.bytes;
        if (bytes.hasArray() && lease.detach(bytes.array())) {
          cache.put(key, bytes.array(), decoded, left);
        } else {
          byte[] copy = new byte[bytes.remaining()];
          bytes.duplicate().get(copy);
          cache.put(
              key, copy, new ChunkDecoder.Decoded(ByteBuffer.wrap(copy), decoded.shuffled), left);
        }
      }
    }
  }

  private void copyRuns(
      ChunkDecoder.Decoded src,
      long[] srcOrigin,
      int[] count,
      int[] dstOrigin,
      int[] part,
      byte[] out) {
    ChunkDecoder.copyRuns(src, elementSize, chunkShape, srcOrigin, count, dstOrigin, part, out);
  }

  /** The decoded chunk, or null if it was never written. */
  private ChunkDecoder.Decoded load(int[] chunkOffset, ScratchPool.Lease lease) {
    ByteBuffer raw;
    try {
      raw = dataset.getRawChunkBuffer(chunkOffset);
    } catch (HdfException e) {
      if (isMissingChunk(e)) {
        return null;
      }
      throw e;
    }
    return decoder.decode(chunkOffset, raw, lease);
  }

  /**
   * jhdf 0.13.0 has no public way to ask whether a chunk was allocated; its lookup throws this
   * message for chunks absent from the index, and others (read failures) must not become fill.
   */
  private static boolean isMissingChunk(HdfException e) {
    return e.getMessage() != null && e.getMessage().startsWith("No chunk with offset");
  }
}
