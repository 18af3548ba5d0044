package io.zarrsync.netcdf.nc3;

import io.zarrsync.api.StoreException;
import io.zarrsync.netcdf.InvalidNetcdfFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;

/**
 * Reads one hyperslab of a variable as the file stores it (big-endian) into a byte array in C
 * order. The box is cut into contiguous file runs (trailing dimensions read whole merge into one
 * run); runs close to each other (gaps up to 8 KiB, spans up to 1 MiB) are fetched with one
 * positional read through a small window, so a strided read does not become one system call per
 * element. Positional reads leave the channel's position alone, which makes concurrent reads of one
 * file safe.
 */
final class SlabReader {
  /** Runs that fit in one window of this size are fetched together. */
  private static final int WINDOW = 1 << 20;

  /** Runs further apart than this are not fetched together: a system call is cheaper. */
  private static final int MAX_GAP = 8 << 10;

  /** Runs at least this long are read straight into the output. */
  private static final int DIRECT = WINDOW / 4;

  /** Upper bound of one channel read: the JDK stages heap reads through a direct buffer. */
  private static final int MAX_READ = 4 << 20;

  private final FileChannel channel;
  private final String file;
  private final String variable;
  private final byte[] out;
  private int outPos;

  private long windowStart;
  private long windowEnd;
  private int pending;
  private long[] pendingOffset = new long[16];
  private int[] pendingLength = new int[16];
  private int[] pendingOut = new int[16];
  private byte[] windowBuffer;

  private SlabReader(FileChannel channel, String file, String variable, byte[] out) {
    this.channel = channel;
    this.file = file;
    this.variable = variable;
    this.out = out;
  }

  /**
   * Fills {@code out} with the box {@code count} at {@code origin} of a variable whose element
   * {@code (i0, i1, ...)} lives at {@code begin + sum(i_d * byteStride[d])}.
   */
  static void read(
      FileChannel channel,
      String file,
      String variable,
      long begin,
      long[] shape,
      long[] byteStride,
      int elementSize,
      long[] origin,
      int[] count,
      byte[] out) {
    SlabReader reader = new SlabReader(channel, file, variable, out);
    int rank = shape.length;
    if (rank == 0) {
      reader.add(begin, elementSize);
      reader.flush();
      return;
    }
    // The run starts as one element and grows outwards over dimension k-1 while everything
    // inside it is read whole and one step of k-1 is exactly that block (record variables break
    // this at the record dimension, whose stride is the record size).
    int k = rank;
    long runBytes = elementSize;
    while (k > 0) {
      long block = k == rank ? elementSize : shape[k] * byteStride[k];
      if (byteStride[k - 1] != block || (k < rank && count[k] != shape[k])) {
        break;
      }
      k--;
      runBytes = count[k] * byteStride[k];
    }
    int run = Math.toIntExact(runBytes);
    long base = begin;
    for (int d = k; d < rank; d++) {
      base += origin[d] * byteStride[d];
    }
    int[] idx = new int[k];
    while (true) {
      long off = base;
      for (int d = 0; d < k; d++) {
        off += (origin[d] + idx[d]) * byteStride[d];
      }
      reader.add(off, run);
      int d = k - 1;
      while (d >= 0 && ++idx[d] == count[d]) {
        idx[d] = 0;
        d--;
      }
      if (d < 0) {
        break;
      }
    }
    reader.flush();
  }

  private void add(long offset, int length) {
    if (pending > 0 && (offset + length - windowStart > WINDOW || offset - windowEnd > MAX_GAP)) {
      flush();
    }
    if (length >= DIRECT) {
      flush();
      readFully(offset, out, outPos, length);
      outPos += length;
      return;
    }
    if (pending == 0) {
      windowStart = offset;
    }
    if (pending == pendingOffset.length) {
      int n = pending * 2;
      pendingOffset = java.util.Arrays.copyOf(pendingOffset, n);
      pendingLength = java.util.Arrays.copyOf(pendingLength, n);
      pendingOut = java.util.Arrays.copyOf(pendingOut, n);
    }
    pendingOffset[pending] = offset;
    pendingLength[pending] = length;
    pendingOut[pending] = outPos;
    pending++;
    outPos += length;
    windowEnd = offset + length;
  }

  private void flush() {
    if (pending == 0) {
      return;
    }
    if (pending == 1) {
      readFully(pendingOffset[0], out, pendingOut[0], pendingLength[0]);
    } else {
      if (windowBuffer == null) {
        windowBuffer = new byte[WINDOW];
      }
      readFully(windowStart, windowBuffer, 0, (int) (windowEnd - windowStart));
      for (int i = 0; i < pending; i++) {
        System.arraycopy(
            windowBuffer,
            (int) (pendingOffset[i] - windowStart),
            out,
            pendingOut[i],
            pendingLength[i]);
      }
    }
    pending = 0;
  }

  private void readFully(long offset, byte[] dst, int dstOffset, int length) {
    ByteBuffer b = ByteBuffer.wrap(dst, dstOffset, length);
    int end = dstOffset + length;
    try {
      while (b.position() < end) {
        b.limit(Math.min(end, b.position() + MAX_READ));
        int n = channel.read(b, offset + (b.position() - dstOffset));
        if (n < 0) {
          throw new InvalidNetcdfFileException(
              file,
              "truncated: variable "
                  + variable
                  + " needs bytes up to "
                  + (offset + length)
                  + " but the file has "
                  + channel.size());
        }
      }
    } catch (ClosedChannelException e) {
      throw new IllegalStateException(file + ": the file is closed", e);
    } catch (IOException e) {
      throw new StoreException(
          file + ": cannot read variable " + variable + ": " + e.getMessage(), e);
    }
  }
}
