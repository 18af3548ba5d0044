package io.zarrsync.netcdf.nc3;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * Turns big-endian elements into little-endian ones in place. Bulk transfers between buffer views
 * of opposite byte order let the JDK swap whole blocks instead of one element at a time.
 */
final class ByteSwap {
  private static final int BLOCK = 8192;

  private ByteSwap() {}

  static void toLittleEndian(byte[] data, int elementSize) {
    ByteBuffer big = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
    ByteBuffer little = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    switch (elementSize) {
      case 1 -> {}
      case 2 -> swap2(big.asShortBuffer(), little.asShortBuffer());
      case 4 -> swap4(big.asIntBuffer(), little.asIntBuffer());
      case 8 -> swap8(big.asLongBuffer(), little.asLongBuffer());
      default -> throw new IllegalArgumentException("element size " + elementSize);
    }
  }

  private static void swap2(ShortBuffer from, ShortBuffer to) {
    short[] tmp = new short[Math.min(BLOCK, from.capacity())];
    for (int i = 0; i < from.capacity(); i += tmp.length) {
      int n = Math.min(tmp.length, from.capacity() - i);
      from.get(i, tmp, 0, n);
      to.put(i, tmp, 0, n);
    }
  }

  private static void swap4(IntBuffer from, IntBuffer to) {
    int[] tmp = new int[Math.min(BLOCK, from.capacity())];
    for (int i = 0; i < from.capacity(); i += tmp.length) {
      int n = Math.min(tmp.length, from.capacity() - i);
      from.get(i, tmp, 0, n);
      to.put(i, tmp, 0, n);
    }
  }

  private static void swap8(LongBuffer from, LongBuffer to) {
    long[] tmp = new long[Math.min(BLOCK, from.capacity())];
    for (int i = 0; i < from.capacity(); i += tmp.length) {
      int n = Math.min(tmp.length, from.capacity() - i);
      from.get(i, tmp, 0, n);
      to.put(i, tmp, 0, n);
    }
  }
}
