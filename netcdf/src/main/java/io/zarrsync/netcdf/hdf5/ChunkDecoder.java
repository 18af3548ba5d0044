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

  ChunkDecoder(ChunkedDataset dataset, List<PipelineFilterWithData> filters, int chunkBytes) {
    this.dataset = dataset;
    this.filters = List.copyOf(filters);
    this.chunkBytes = chunkBytes;
    this.fast =
        filters.stream()
            .allMatch(f -> f.getId() == DEFLATE || f.getId() == SHUFFLE || f.getId() == FLETCHER32);
  }

  /**
   * The decoded bytes of the chunk at {@code chunkOffset}, given its stored bytes {@code raw}. The
   * result may live in arrays of {@code lease}, valid until the lease is closed.
   *
   * @throws Hdf5ContentException if the chunk does not decode to the chunk's size
   */
  ByteBuffer decode(int[] chunkOffset, ByteBuffer raw, ScratchPool.Lease lease) {
    if (!fast) {
      return checked(ByteBuffer.wrap(dataset.getDecompressedChunk(chunkOffset)), chunkOffset);
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
      byte[] next = lease.take(size);
      if (f.getId() == DEFLATE) {
        inflate(current, next, size, chunkOffset);
      } else {
        int[] data = f.getFilterData();
        if (current.remaining() != size) {
          throw corrupt(chunkOffset, "holds " + current.remaining() + " bytes before unshuffling");
        }
        unshuffle(current, next, data.length > 0 ? data[0] : 1);
      }
      current = ByteBuffer.wrap(next, 0, size);
    }
    return checked(current, chunkOffset);
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
    int n = length / elementSize;
    switch (elementSize) {
      case 2 -> {
        for (int j = 0, a = base, b = base + n; j < n; j++) {
          SHORT_LE.set(out, 2 * j, (short) ((src[a + j] & 0xFF) | (src[b + j] << 8)));
        }
      }
      case 4 -> {
        int b0 = base;
        int b1 = base + n;
        int b2 = base + 2 * n;
        int b3 = base + 3 * n;
        for (int j = 0; j < n; j++) {
          INT_LE.set(
              out,
              4 * j,
              (src[b0 + j] & 0xFF)
                  | (src[b1 + j] & 0xFF) << 8
                  | (src[b2 + j] & 0xFF) << 16
                  | src[b3 + j] << 24);
        }
      }
      case 8 -> {
        for (int j = 0; j < n; j++) {
          int at = base + j;
          long lo =
              (src[at] & 0xFF)
                  | (src[at + n] & 0xFF) << 8
                  | (src[at + 2 * n] & 0xFF) << 16
                  | (long) (src[at + 3 * n] & 0xFF) << 24;
          long hi =
              (src[at + 4 * n] & 0xFF)
                  | (src[at + 5 * n] & 0xFF) << 8
                  | (src[at + 6 * n] & 0xFF) << 16
                  | (long) (src[at + 7 * n] & 0xFF) << 24;
          LONG_LE.set(out, 8 * j, lo | hi << 32);
        }
      }
      default -> {
        if (elementSize <= 1) {
          System.arraycopy(src, base, out, 0, length);
          return;
        }
        for (int i = 0; i < elementSize; i++) {
          int from = base + i * n;
          for (int j = 0, o = i; j < n; j++, o += elementSize) {
            out[o] = src[from + j];
          }
        }
      }
    }
    int tail = n * elementSize;
    System.arraycopy(src, base + tail, out, tail, length - tail);
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
