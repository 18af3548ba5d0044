package io.zarrsync.zarr;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** zlib streams (RFC 1950), as numcodecs.Zlib writes them with Python's {@code zlib.compress}. */
final class ZlibCompression {
  private ZlibCompression() {}

  static byte[] compress(byte[] raw, int level) {
    Deflater deflater = new Deflater(level);
    try {
      deflater.setInput(raw);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 2));
      byte[] buffer = new byte[64 * 1024];
      while (!deflater.finished()) {
        int n = deflater.deflate(buffer);
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static void checkProgress(Inflater inflater, byte[] stream, int produced) {
    if (!inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
      throw new ZarrFormatException(
          "zlib: truncated stream (" + stream.length + " bytes in, " + produced + " out)");
    }
  }

  static byte[] decompress(byte[] stream, int expectedSize) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(stream);
      byte[] out = new byte[expectedSize >= 0 ? expectedSize : Math.max(64, stream.length * 4)];
      int length = 0;
      while (!inflater.finished()) {
        if (length == out.length) {
          // The expected size is usually exact: probe with one byte before growing the buffer.
          byte[] probe = new byte[1];
          if (inflater.inflate(probe) == 0) {
            checkProgress(inflater, stream, length);
            continue;
          }
          if (expectedSize >= 0) {
            throw new ZarrFormatException(
                "zlib: stream holds more than the expected " + expectedSize + " bytes");
          }
          out = Arrays.copyOf(out, Math.max(64, out.length * 2));
          out[length++] = probe[0];
          continue;
        }
        int n = inflater.inflate(out, length, out.length - length);
        length += n;
        if (n == 0) {
          checkProgress(inflater, stream, length);
        }
      }
      return length == out.length ? out : Arrays.copyOf(out, length);
    } catch (DataFormatException e) {
      throw new ZarrFormatException("zlib: damaged stream: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }
}
