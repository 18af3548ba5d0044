package io.zarrsync.netcdf.hdf5;

import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;

/**
 * A contiguous dataset: one byte range of the file. Datasets up to 2 GiB are memory-mapped once and
 * copied from run by run; larger ones are read run by run.
 */
final class ContiguousStorage implements RawStorage {
  private final ContiguousDataset dataset;
  private final HdfBackingStorage storage;
  private final long[] extent;
  private final int elementSize;
  private final byte[] fill;
  private volatile ByteBuffer mapped;

  ContiguousStorage(
      ContiguousDataset dataset,
      HdfBackingStorage storage,
      long[] extent,
      int elementSize,
      byte[] fill) {
    this.dataset = dataset;
    this.storage = storage;
    this.extent = extent.clone();
    this.elementSize = elementSize;
    this.fill = fill.clone();
  }

  @Override
  public void read(long[] origin, int[] count, byte[] out) {
    if (dataset.isEmpty()) {
      // Never written: HDF5 allocates contiguous storage on first write.
      Boxes.fillPattern(out, 0, out.length, fill);
      return;
    }
    long bytes = dataset.getSizeInBytes();
    int es = elementSize;
    if (bytes <= Integer.MAX_VALUE) {
      ByteBuffer data = mapped();
      Boxes.forEachRun(
          extent,
          origin,
          count,
          new int[count.length],
          count,
          (src, dst, len) -> data.get(Math.toIntExact(src * es), out, dst * es, len * es));
    } else {
      long base = dataset.getDataAddress();
      Boxes.forEachRun(
          extent,
          origin,
          count,
          new int[count.length],
          count,
          (src, dst, len) ->
              storage
                  .readBufferFromAddress(base + src * es, len * es)
                  .get(out, dst * es, len * es));
    }
  }

  private ByteBuffer mapped() {
    ByteBuffer m = mapped;
    if (m == null) {
      m = dataset.getBuffer();
      mapped = m;
    }
    // Absolute gets on a duplicate keep concurrent readers independent.
    return m.duplicate();
  }
}
