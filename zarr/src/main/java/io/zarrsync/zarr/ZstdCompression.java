package io.zarrsync.zarr;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Zstandard through zstd-jni, producing frames numcodecs.Zstd can decode. */
final class ZstdCompression {
  // zstd's own limits (ZSTD_minCLevel is -(1 << 17), ZSTD_maxCLevel is 22), checked without
  // loading the native library so that a bad configuration fails fast and clearly.
  static final int MIN_LEVEL = -(1 << 17);
  static final int MAX_LEVEL = 22;

  private ZstdCompression() {}

  static void checkLevel(int level) {
    if (level < MIN_LEVEL || level > MAX_LEVEL) {
      throw new IllegalArgumentException(
          "zstd level must be " + MIN_LEVEL + " to " + MAX_LEVEL + ", got " + level);
    }
  }

  static byte[] compress(byte[] raw, int level) {
    // Zstd.compress is the one-shot ZSTD_compress, which records the content size in the frame
    // header; numcodecs.Zstd.decode refuses frames without it.
    return Zstd.compress(raw, level);
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
