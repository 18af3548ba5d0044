package io.zarrsync.netcdf.hdf5;

/** Walks the contiguous runs of a box copied between two row-major arrays. */
final class Boxes {
  private Boxes() {}

  /** Receives one run: element offsets in source and destination, and its length in elements. */
  @FunctionalInterface
  interface RunConsumer {
    void run(long srcElement, int dstElement, int length);
  }

  /**
   * Calls {@code consumer} for every run of the box {@code count} that sits at {@code srcOrigin} in
   * an array of shape {@code srcShape} and at {@code dstOrigin} in one of shape {@code dstShape}.
   * Trailing dimensions covered completely in both arrays are merged into longer runs. A rank-0 box
   * is one run of one element; a box with an empty extent has no runs.
   */
  static void forEachRun(
      long[] srcShape,
      long[] srcOrigin,
      int[] dstShape,
      int[] dstOrigin,
      int[] count,
      RunConsumer consumer) {
    int rank = count.length;
    if (rank == 0) {
      consumer.run(0, 0, 1);
      return;
    }
    for (int c : count) {
      if (c == 0) {
        return;
      }
    }
    int k = rank - 1;
    while (k > 0 && count[k] == srcShape[k] && count[k] == dstShape[k]) {
      k--;
    }
    long[] srcStride = new long[rank];
    int[] dstStride = new int[rank];
    long s = 1;
    int t = 1;
    for (int d = rank - 1; d >= 0; d--) {
      srcStride[d] = s;
      dstStride[d] = t;
      s *= srcShape[d];
      t *= dstShape[d];
    }
    long runLong = 1;
    for (int d = k; d < rank; d++) {
      runLong *= count[d];
    }
    int run = Math.toIntExact(runLong);
    long srcBase = 0;
    int dstBase = 0;
    for (int d = 0; d < rank; d++) {
      srcBase += srcOrigin[d] * srcStride[d];
      dstBase += dstOrigin[d] * dstStride[d];
    }
    int[] idx = new int[k];
    long so = srcBase;
    int dof = dstBase;
    while (true) {
      consumer.run(so, dof, run);
      int d = k - 1;
      while (d >= 0) {
        idx[d]++;
        so += srcStride[d];
        dof += dstStride[d];
        if (idx[d] < count[d]) {
          break;
        }
        so -= srcStride[d] * idx[d];
        dof -= dstStride[d] * idx[d];
        idx[d] = 0;
        d--;
      }
      if (d < 0) {
        return;
      }
    }
  }

  /** Fills the box {@code count} at {@code origin} of a row-major byte array with a pattern. */
  static void fill(byte[] out, int[] shape, int[] origin, int[] count, byte[] element) {
    long[] longShape = new long[shape.length];
    for (int d = 0; d < shape.length; d++) {
      longShape[d] = shape[d];
    }
    int es = element.length;
    forEachRun(
        longShape,
        new long[shape.length],
        shape,
        origin,
        count,
        (src, dst, len) -> fillPattern(out, dst * es, len * es, element));
  }

  /** Fills {@code length} bytes from {@code from} with repetitions of {@code element}. */
  static void fillPattern(byte[] out, int from, int length, byte[] element) {
    if (length == 0) {
      return;
    }
    int es = element.length;
    boolean zero = true;
    for (byte b : element) {
      zero &= b == 0;
    }
    if (zero) {
      java.util.Arrays.fill(out, from, from + length, (byte) 0);
      return;
    }
    System.arraycopy(element, 0, out, from, Math.min(es, length));
    int filled = Math.min(es, length);
    while (filled < length) {
      int n = Math.min(filled, length - filled);
      System.arraycopy(out, from, out, from + filled, n);
      filled += n;
    }
  }

  static long product(int[] count) {
    long n = 1;
    for (int c : count) {
      n *= c;
    }
    return n;
  }
}
