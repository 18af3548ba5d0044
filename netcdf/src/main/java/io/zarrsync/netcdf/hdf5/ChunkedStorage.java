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
 * sliced read gives zeros there). Boxes spanning several chunks decode them in parallel on the
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

  ChunkedStorage(
      ChunkedDataset dataset,
      List<PipelineFilterWithData> filters,
      long[] extent,
      int elementSize,
      byte[] fill,
      ChunkCache cache,
      ScratchPool pool) {
    this.dataset = dataset;
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
    this.decoder = new ChunkDecoder(dataset, filters, (int) chunkBytes);
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
    if (chunks.size() > 1 && out.length >= PARALLEL_MIN_BYTES) {
      chunks.parallelStream().forEach(c -> copyChunk(c, origin, count, out));
    } else {
      for (long[] c : chunks) {
        copyChunk(c, origin, count, out);
      }
    }
  }

  private void copyChunk(long[] gridIndex, long[] origin, int[] count, byte[] out) {
    int rank = chunk.length;
    int[] chunkOffset = new int[rank];
    long[] srcOrigin = new long[rank];
    int[] dstOrigin = new int[rank];
    int[] part = new int[rank];
    boolean whole = true;
    long linear = 0;
    for (int d = 0; d < rank; d++) {
      long start = gridIndex[d] * chunk[d];
      long from = Math.max(start, origin[d]);
      long to = Math.min(start + chunk[d], origin[d] + count[d]);
      chunkOffset[d] = Math.toIntExact(start);
      srcOrigin[d] = from - start;
      dstOrigin[d] = (int) (from - origin[d]);
      part[d] = (int) (to - from);
      whole &= part[d] == Math.min(chunk[d], extent[d] - start);
      linear += gridIndex[d] * gridStride[d];
    }
    ChunkCache.Key key = new ChunkCache.Key(this, linear);
    ByteBuffer cached = cache.get(key);
    if (cached != null) {
      copyRuns(cached, srcOrigin, count, dstOrigin, part, out);
      return;
    }
    try (ScratchPool.Lease lease = pool.lease()) {
      ByteBuffer decoded = load(chunkOffset, lease);
      if (decoded == null) {
        Boxes.fill(out, count, dstOrigin, part, fill);
        return;
      }
      copyRuns(decoded, srcOrigin, count, dstOrigin, part, out);
      if (!whole) {
        // The lease's arrays go back to the pool, so the cache keeps its own copy.
        byte[] copy = new byte[decoded.remaining()];
        decoded.duplicate().get(copy);
        cache.put(key, ByteBuffer.wrap(copy));
      }
    }
  }

  private void copyRuns(
      ByteBuffer src, long[] srcOrigin, int[] count, int[] dstOrigin, int[] part, byte[] out) {
    int es = elementSize;
    int base = src.position();
    Boxes.forEachRun(
        chunkShape,
        srcOrigin,
        count,
        dstOrigin,
        part,
        (s, dst, len) -> src.get(base + Math.toIntExact(s * es), out, dst * es, len * es));
  }

  /** The decoded chunk, or null if it was never written. */
  private ByteBuffer load(int[] chunkOffset, ScratchPool.Lease lease) {
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
