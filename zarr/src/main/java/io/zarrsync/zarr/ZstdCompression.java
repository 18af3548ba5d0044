package io.zarrsync.zarr;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedDeque;

/** Zstandard through zstd-jni, producing frames numcodecs.Zstd can decode. */
final class ZstdCompression {
  // zstd's own limits (ZSTD_minCLevel is -(1 << 17), ZSTD_maxCLevel is 22), checked without
  // loading the native library so that a bad configuration fails fast and clearly.
  static final int MIN_LEVEL = -(1 << 17);
  static final int MAX_LEVEL = 22;

  /** Idle compressors; at most {@link #MAX_IDLE} are kept, so their native memory is bounded. */
  private static final ConcurrentLinkedDeque<Compressor> IDLE = new ConcurrentLinkedDeque<>();

  private static final int MAX_IDLE = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());

  /** Output buffers above this size are not kept between chunks. */
  private static final int KEEP_BYTES = 32 << 20;

  private ZstdCompression() {}

  static void checkLevel(int level) {
    if (level < MIN_LEVEL || level > MAX_LEVEL) {
      throw new IllegalArgumentException(
          "zstd level must be " + MIN_LEVEL + " to " + MAX_LEVEL + ", got " + level);
    }
  }

  static byte[] compress(byte[] raw, int level) {
    // One-shot compression (ZSTD_compress2) records the content size in the frame header;
    // numcodecs.Zstd.decode refuses frames without it. Contexts and output buffers are reused:
    // a fresh context per chunk allocates and clears megabytes of match tables, and a fresh
    // output buffer of compressBound(chunk) bytes is another large allocation per chunk.
    Compressor c = IDLE.poll();
    if (c == null) {
      c = new Compressor();
    }
    try {
      return c.compress(raw, level);
    } finally {
      if (IDLE.size() < MAX_IDLE) {
        IDLE.push(c);
      } else {
        c.close();
      }
    }
  }

  /** A compression context and its output buffer, used by one thread at a time. */
  private static final class Compressor {
    private final ZstdCompressCtx ctx = new ZstdCompressCtx();
    private byte[] out = new byte[0];

    byte[] compress(byte[] raw, int level) {
      long bound = Zstd.compressBound(raw.length);
      if (bound > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException(
            "zstd: " + raw.length + " bytes are too many for one chunk");
      }
      if (out.length < bound) {
        out = new byte[(int) bound];
      }
      ctx.setLevel(level);
      int n = ctx.compressByteArray(out, 0, out.length, raw, 0, raw.length);
      byte[] frame = Arrays.copyOf(out, n);
      if (out.length > KEEP_BYTES) {
        out = new byte[0];
      }
      return frame;
    }

    void close() {
      ctx.close();
    }
  }

  /**
   * Decompresses one frame (or several back to back). With {@code expectedSize >= 0}, a frame that
   * declares another size is rejected before anything is allocated for it.
   */
  static byte[] decompress(byte[] frame, int expectedSize) {
    long size = Zstd.getFrameContentSize(frame);
    if (size == -2) {
      throw new ZarrFormatException("zstd: not a zstd frame (" + frame.length + " bytes)");
    }
    if (size >= 0 && expectedSize >= 0 && size > expectedSize) {
      throw new ZarrFormatException(
          "zstd: frame holds " + size + " bytes, expected " + expectedSize);
    }
    if (size > Integer.MAX_VALUE - 16) {
      throw new ZarrFormatException("zstd: frame content of " + size + " bytes is too large");
    }
    try {
      if (size >= 0) {
        byte[] out = Zstd.decompress(frame, (int) size);
        if (out.length != size) {
          // Several frames back to back: the header only tells the first one's size.
          return decompressStreaming(frame);
        }
        return out;
      }
      return decompressStreaming(frame);
    } catch (ZstdException e) {
      if (size >= 0) {
        try {
          return decompressStreaming(frame);
        } catch (ZarrFormatException again) {
          e.addSuppressed(again);
        }
      }
      throw new ZarrFormatException("zstd: damaged frame: " + e.getMessage(), e);
    }
  }

  /** For frames written by a streaming compressor, which do not record their content size. */
  private static byte[] decompressStreaming(byte[] frame) {
    try (InputStream in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(frame))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, frame.length * 4));
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new ZarrFormatException("zstd: damaged frame: " + e.getMessage(), e);
    }
  }
}
