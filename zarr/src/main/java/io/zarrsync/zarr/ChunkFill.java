package io.zarrsync.zarr;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Bulk filling and all-fill checks of fixed-size arrays with a repeated element pattern. */
final class ChunkFill {
  private static final int BLOCK = 8192;

  private ChunkFill() {}

  /** Fills {@code array} with the element {@code element} repeated (any element length). */
  static void fill(NdArray array, byte[] element) {
    if (isZero(element)) {
      zero(array);
      return;
    }
    ByteBuffer b = array.buffer();
    int total = b.remaining();
    if (total == 0) {
      return;
    }
    if (!b.hasArray()) {
      for (int i = 0; i < total; i++) {
        b.put(i, element[i % element.length]);
      }
      return;
    }
    byte[] arr = b.array();
    int off = b.arrayOffset();
    int first = Math.min(element.length, total);
    System.arraycopy(element, 0, arr, off, first);
    int filled = first;
    while (filled < total) {
      int n = Math.min(filled, total - filled);
      System.arraycopy(arr, off, arr, off + filled, n);
      filled += n;
    }
  }

  private static void zero(NdArray array) {
    ByteBuffer b = array.buffer();
    if (b.hasArray()) {
      Arrays.fill(b.array(), b.arrayOffset(), b.arrayOffset() + b.remaining(), (byte) 0);
    } else {
      for (int i = 0; i < b.remaining(); i++) {
        b.put(i, (byte) 0);
      }
    }
  }

  static boolean isZero(byte[] element) {
    for (byte x : element) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /** True if every element's bytes equal {@code element}. */
  static boolean allEqual(NdArray array, byte[] element) {
    ByteBuffer b = array.buffer();
    int total = b.remaining();
    if (total % element.length != 0) {
      return false;
    }
    byte[] arr;
    int off;
    if (b.hasArray()) {
      arr = b.array();
      off = b.arrayOffset();
    } else {
      arr = new byte[total];
      b.get(arr);
      off = 0;
    }
    int reps = Math.max(1, BLOCK / element.length);
    byte[] pattern = new byte[reps * element.length];
    for (int i = 0; i < reps; i++) {
      System.arraycopy(element, 0, pattern, i * element.length, element.length);
    }
    for (int pos = 0; pos < total; pos += pattern.length) {
      int n = Math.min(pattern.length, total - pos);
      if (Arrays.mismatch(arr, off + pos, off + pos + n, pattern, 0, n) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** True if every element of a FLOAT or DOUBLE array is a NaN (of any payload). */
  static boolean allNaN(NdArray array) {
    int n = array.size();
    ByteBuffer b = array.buffer();
    if (array.type() == DataType.FLOAT) {
      for (int i = 0; i < n; i++) {
        if (!Float.isNaN(b.getFloat(i * 4))) {
          return false;
        }
      }
    } else {
      for (int i = 0; i < n; i++) {
        if (!Double.isNaN(b.getDouble(i * 8))) {
          return false;
        }
      }
    }
    return true;
  }
}
