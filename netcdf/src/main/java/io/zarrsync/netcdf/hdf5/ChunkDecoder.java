package io.zarrsync.netcdf.hdf5;

import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.filter.PipelineFilterWithData;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes stored chunks. The NetCDF-4 pipelines (deflate, shuffle, fletcher32 in any combination)
 * are decoded here straight from the file into arrays of the chunk's size; jhdf's own path grows
 * and copies buffers several times per chunk, and its fletcher32 neither checks nor strips the
 * checksum. Any other pipeline (zstd, lz4, bitshuffle, ...) goes through jhdf's filters.
 */
final class ChunkDecoder {
  private static final int DEFLATE = 1;
  private static final int SHUFFLE = 2;
  private static final int FLETCHER32 = 3;
  private static final VarHandle SHORT_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final ChunkedDataset dataset;
  private final List<PipelineFilterWithData> filters;
  private final boolean fast;
  private final int chunkBytes;
  private final int deferredShuffle;

  /**
   * @param elementSize bytes per element of the dataset: a shuffle by this size as the last step to
   *     undo is left to {@link #copyRuns}, which unshuffles only the bytes a read copies out
   */
  ChunkDecoder(
      ChunkedDataset dataset,
      List<PipelineFilterWithData> filters,
      int chunkBytes,
      int elementSize) {
    this.dataset = dataset;
    this.filters = List.copyOf(filters);
    this.chunkBytes = chunkBytes;
    this.deferredShuffle =
        !filters.isEmpty()
                && filters.get(0).getId() == SHUFFLE
                && shuffleElementSize(filters.get(0)) == elementSize
                && elementSize > 1
                && chunkBytes % elementSize == 0
            ? elementSize
            : 0;
    this.fast =
        filters.stream()
            .allMatch(f -> f.getId() == DEFLATE || f.getId() == SHUFFLE || f.getId() == FLETCHER32);
  }

  /**
   * A decoded chunk: {@code bytes}, still byte-shuffled by elements of {@code shuffled} bytes
   * (HDF5's shuffle; 0 if not shuffled). Read it with {@link #copyRuns}.
   */
  static final class Decoded {
    final ByteBuffer bytes;
    final int shuffled;

    Decoded(ByteBuffer bytes, int shuffled) {
      this.bytes = bytes;
      this.shuffled = shuffled;
    }
  }

  /**
   * The decoded bytes of the chunk at {@code chunkOffset}, given its stored bytes {@code raw}. The
   * result may live in arrays of {@code lease}, valid until the lease is closed.
   *
   * @throws Hdf5ContentException if the chunk does not decode to the chunk's size
   */
  Decoded decode(int[] chunkOffset, ByteBuffer raw, ScratchPool.Lease lease) {
    if (!fast) {
      return new Decoded(
          checked(ByteBuffer.wrap(dataset.getDecompressedChunk(chunkOffset)), chunkOffset), 0);
    }
    ByteBuffer current = raw.duplicate();
    // Filters decode in reverse order; each fletcher32 still to undo adds its 4-byte checksum.
    int checksums = 0;
    for (PipelineFilterWithData f : filters) {
      checksums += f.getId() == FLETCHER32 ? 1 : 0;
    }
    for (int i = filters.size() - 1; i >= 0; i--) {
      PipelineFilterWithData f = filters.get(i);
      if (f.getId() == FLETCHER32) {
        current = stripChecksum(current, chunkOffset);
        checksums--;
        continue;
      }
      int size = chunkBytes + 4 * checksums;
      if (f.getId() == SHUFFLE && shuffleElementSize(f) <= 1) {
        // Shuffling single bytes leaves them where they are.
        if (current.remaining() != size) {
          throw corrupt(chunkOffset, "holds " + current.remaining() + " bytes before unshuffling");
        }
        continue;
      }
      if (i == 0 && f.getId() == SHUFFLE && deferredShuffle > 0 && current.hasArray()) {
        if (current.remaining() != size) {
          throw corrupt(chunkOffset, "holds " + current.remaining() + " bytes before unshuffling");
        }
        return new Decoded(checked(current, chunkOffset), deferredShuffle);
      }
      byte[] next = lease.take(size);
      if (f.getId() == DEFLATE) {
        inflate(current, next, size, chunkOffset);
      } else {
        if (current.remaining() != size) {
          throw corrupt(chunkOffset, "holds " + current.remaining() + " bytes before unshuffling");
        }
        unshuffle(current, next, shuffleElementSize(f));
      }
      current = ByteBuffer.wrap(next, 0, size);
    }
    return new Decoded(checked(current, chunkOffset), 0);
  }

  /**
   * Copies elements of a decoded chunk of shape {@code chunkShape} into {@code out}, run by run as
   * {@link Boxes#forEachRun} gives them, unshuffling shuffled chunks on the way (so the bytes of a
   * chunk are unshuffled once, straight into the output, and only those a read needs).
   */
  static void copyRuns(
      Decoded d,
      int elementSize,
      long[] chunkShape,
      long[] srcOrigin,
      int[] dstShape,
      int[] dstOrigin,
      int[] part,
      byte[] out) {
    ByteBuffer src = d.bytes;
    Boxes.RunConsumer copy;
    if (d.shuffled == 0) {
      int es = elementSize;
      int base = src.position();
      copy = (s, dst, len) -> src.get(base + Math.toIntExact(s * es), out, dst * es, len * es);
    } else {
      byte[] a = src.array();
      int base = src.arrayOffset() + src.position();
      int ses = d.shuffled;
      int n = src.remaining() / ses;
      copy = (s, dst, len) -> unshuffleRun(a, base, n, ses, (int) s, out, dst * ses, len);
    }
    Boxes.forEachRun(chunkShape, srcOrigin, dstShape, dstOrigin, part, copy);
  }

  private static int shuffleElementSize(PipelineFilterWithData f) {
    int[] data = f.getFilterData();
    return data.length > 0 ? data[0] : 1;
  }

  private ByteBuffer checked(ByteBuffer decoded, int[] chunkOffset) {
    if (decoded.remaining() != chunkBytes) {
      throw corrupt(chunkOffset, "decodes to " + decoded.remaining() + " bytes");
    }
    return decoded;
  }

  private void inflate(ByteBuffer in, byte[] out, int size, int[] chunkOffset) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(in);
      int n = 0;
      while (n < size) {
        int r = inflater.inflate(out, n, size - n);
        if (r == 0
            && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        n += r;
      }
      if (n < size) {
        throw corrupt(chunkOffset, "inflates to " + n + " bytes");
      }
      if (!inflater.finished() && inflater.inflate(new byte[1]) > 0) {
        throw corrupt(chunkOffset, "inflates to more bytes than the chunk holds");
      }
    } catch (DataFormatException e) {
      throw corrupt(chunkOffset, "is not valid deflate data (" + e.getMessage() + ")");
    } finally {
      inflater.end();
    }
  }

  /**
   * Undoes HDF5's byte shuffle of {@code in.remaining()} bytes into {@code out}: byte {@code i} of
   * element {@code j} is stored at {@code i * n + j}. Bytes past the last whole element are not
   * shuffled.
   */
  static void unshuffle(ByteBuffer in, byte[] out, int elementSize) {
    int length = in.remaining();
    byte[] src;
    int base;
    if (in.hasArray()) {
      src = in.array();
      base = in.arrayOffset() + in.position();
    } else {
      src = new byte[length];
      in.duplicate().get(src);
      base = 0;
    }
    if (elementSize <= 1) {
      System.arraycopy(src, base, out, 0, length);
      return;
    }
    int n = length / elementSize;
    unshuffleRun(src, base, n, elementSize, 0, out, 0, n);
    int tail = n * elementSize;
    System.arraycopy(src, base + tail, out, tail, length - tail);
  }

  /**
   * Unshuffles elements {@code first .. first + count - 1} of a shuffled block of {@code n}
   * elements of {@code es} bytes starting at {@code src[base]} (byte {@code i} of element {@code j}
   * at {@code base + i * n + j}) into {@code out} from byte {@code outOffset}.
   */
  static void unshuffleRun(
      byte[] src, int base, int n, int es, int first, byte[] out, int outOffset, int count) {
    int at = base + first;
    switch (es) {
      case 2 -> {
        int b1 = at + n;
        for (int j = 0; j < count; j++) {
          SHORT_LE.set(out, outOffset + 2 * j, (short) ((src[at + j] & 0xFF) | (src[b1 + j] << 8)));
        }
      }
      case 4 -> {
        int b1 = at + n;
        int b2 = at + 2 * n;
        int b3 = at + 3 * n;
        for (int j = 0; j < count; j++) {
          INT_LE.set(
              out,
              outOffset + 4 * j,
              (src[at + j] & 0xFF)
                  | (src[b1 + j] & 0xFF) << 8
                  | (src[b2 + j] & 0xFF) << 16
                  | src[b3 + j] << 24);
        }
      }
      case 8 -> {
        for (int j = 0; j < count; j++) {
          int p = at + j;
          long lo =
              (src[p] & 0xFF)
                  | (src[p + n] & 0xFF) << 8
                  | (src[p + 2 * n] & 0xFF) << 16
                  | (long) (src[p + 3 * n] & 0xFF) << 24;
          long hi =
              (src[p + 4 * n] & 0xFF)
                  | (src[p + 5 * n] & 0xFF) << 8
                  | (src[p + 6 * n] & 0xFF) << 16
                  | (long) (src[p + 7 * n] & 0xFF) << 24;
          LONG_LE.set(out, outOffset + 8 * j, lo | hi << 32);
        }
      }
      default -> {
        for (int i = 0; i < es; i++) {
          int from = at + i * n;
          for (int j = 0, o = outOffset + i; j < count; j++, o += es) {
            out[o] = src[from + j];
          }
        }
      }
    }
  }

  /** Checks and removes the trailing Fletcher-32 checksum (H5Zfletcher32.c). */
  private ByteBuffer stripChecksum(ByteBuffer in, int[] chunkOffset) {
    int n = in.remaining() - 4;
    if (n < 0) {
      throw corrupt(chunkOffset, "is shorter than its checksum");
    }
    byte[] data = new byte[n];
    in.duplicate().get(data);
    int p = in.position() + n;
    int stored =
        (in.get(p) & 0xFF)
            | (in.get(p + 1) & 0xFF) << 8
            | (in.get(p + 2) & 0xFF) << 16
            | (in.get(p + 3) & 0xFF) << 24;
    int sum = fletcher32(data);
    // HDF5 before 1.6.3 swapped the bytes of each 16-bit half; the library accepts both.
    int legacy = ((sum & 0x00FF00FF) << 8) | ((sum >>> 8) & 0x00FF00FF);
    if (stored != sum && stored != legacy) {
      throw corrupt(chunkOffset, "fails its Fletcher-32 checksum");
    }
    return ByteBuffer.wrap(data);
  }

  /** HDF5's Fletcher-32 over big-endian 16-bit words (H5_checksum_fletcher32). */
  static int fletcher32(byte[] data) {
    long sum1 = 0;
    long sum2 = 0;
    int words = data.length / 2;
    int i = 0;
    while (words > 0) {
      int block = Math.min(words, 360);
      words -= block;
      for (int k = 0; k < block; k++, i += 2) {
        sum1 += ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
        sum2 += sum1;
      }
      sum1 = (sum1 & 0xFFFF) + (sum1 >>> 16);
      sum2 = (sum2 & 0xFFFF) + (sum2 >>> 16);
    }
    if (data.length % 2 != 0) {
      sum1 += (data[i] & 0xFF) << 8;
      sum2 += sum1;
      sum1 = (sum1 & 0xFFFF) + (sum1 >>> 16);
      sum2 = (sum2 & 0xFFFF) + (sum2 >>> 16);
    }
    sum1 = (sum1 & 0xFFFF) + (sum1 >>> 16);
    sum2 = (sum2 & 0xFFFF) + (sum2 >>> 16);
    return (int) ((sum2 << 16) | sum1);
  }

  private Hdf5ContentException corrupt(int[] chunkOffset, String what) {
    return new Hdf5ContentException(
        "chunk at "
            + java.util.Arrays.toString(chunkOffset)
            + " "
            + what
            + ", expected "
            + chunkBytes);
  }
}
