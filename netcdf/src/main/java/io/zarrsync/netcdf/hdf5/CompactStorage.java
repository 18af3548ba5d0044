package io.zarrsync.netcdf.hdf5;

import io.jhdf.dataset.DatasetBase;
import java.nio.ByteBuffer;

/** A compact dataset: the elements live in the object header (small variables only). */
final class CompactStorage implements RawStorage {
  private final DatasetBase dataset;
  private final long[] extent;
  private final int elementSize;

  CompactStorage(DatasetBase dataset, long[] extent, int elementSize) {
    this.dataset = dataset;
    this.extent = extent.clone();
    this.elementSize = elementSize;
  }

  @Override
  public void read(long[] origin, int[] count, byte[] out) {
    ByteBuffer data = dataset.getDataBuffer().duplicate();
    int es = elementSize;
    Boxes.forEachRun(
        extent,
        origin,
        count,
        new int[count.length],
        count,
        (src, dst, len) -> data.get(Math.toIntExact(src * es), out, dst * es, len * es));
  }
}
