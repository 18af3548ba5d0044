package io.zarrsync.netcdf.nc3;

import io.zarrsync.netcdf.InvalidNetcdfFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Sequential big-endian reads of the header through a small window, so a header of any size is
 * parsed without loading the file. Every read is checked against the file size first: a header that
 * claims more bytes than the file has fails as "truncated" before anything is allocated.
 */
final class HeaderReader {
  private static final int WINDOW = 64 * 1024;

  private final FileChannel channel;
  private final String file;
  private final long fileSize;
  private final ByteBuffer window = ByteBuffer.allocate(WINDOW);
  private long windowStart;
  private long pos;

  HeaderReader(FileChannel channel, String file, long fileSize) {
    this.channel = channel;
    this.file = file;
    this.fileSize = fileSize;
    window.limit(0);
  }

  long position() {
    return pos;
  }

  long fileSize() {
    return fileSize;
  }

  /** Bytes between the current position and the end of the file. */
  long remaining() {
    return fileSize - pos;
  }

  int readInt(String what) {
    int at = fill(4, what);
    pos += 4;
    return window.getInt(at);
  }

  long readLong(String what) {
    int at = fill(8, what);
    pos += 8;
    return window.getLong(at);
  }

  /** Reads {@code n} bytes; fails as truncated (not out of memory) when the file is shorter. */
  byte[] readBytes(long n, String what) {
    requireAvailable(n, what);
    byte[] out = new byte[Math.toIntExact(n)];
    int done = 0;
    while (done < out.length) {
      int chunk = Math.min(out.length - done, WINDOW);
      int at = fill(chunk, what);
      window.get(at, out, done, chunk);
      pos += chunk;
      done += chunk;
    }
    return out;
  }

  /** Skips the zero padding that rounds {@code length} up to a multiple of 4. */
  void skipPadding(long length, String what) {
    long pad = Nc3Layout.padding(length);
    requireAvailable(pad, what);
    pos += pad;
  }

  /** Fails as truncated unless {@code n} more bytes exist after the current position. */
  void requireAvailable(long n, String what) {
    if (n < 0 || n > remaining()) {
      throw truncated(what, n < 0 ? Long.MAX_VALUE : pos + n);
    }
    if (n > Integer.MAX_VALUE - 16) {
      throw new InvalidNetcdfFileException(
          file, "absurd header: " + what + " claims " + n + " bytes at offset " + pos);
    }
  }

  InvalidNetcdfFileException truncated(String what, long end) {
    return new InvalidNetcdfFileException(
        file,
        "truncated: the header needs bytes up to "
            + (end == Long.MAX_VALUE ? "an absurd offset" : Long.toString(end))
            + " (reading "
            + what
            + ") but the file has "
            + fileSize);
  }

  /**
   * Makes {@code n <= WINDOW} bytes at {@code pos} available; returns their index in the window.
   */
  private int fill(int n, String what) {
    if (pos + n > fileSize) {
      throw truncated(what, pos + n);
    }
    if (pos >= windowStart && pos + n <= windowStart + window.limit()) {
      return (int) (pos - windowStart);
    }
    window.clear();
    windowStart = pos;
    int want = (int) Math.min(WINDOW, fileSize - pos);
    try {
      while (window.position() < want) {
        int r = channel.read(window, windowStart + window.position());
        if (r < 0) {
          break;
        }
      }
    } catch (IOException e) {
      throw new InvalidNetcdfFileException(file, "cannot read the header: " + e.getMessage(), e);
    }
    window.flip();
    if (window.limit() < n) {
      throw truncated(what, pos + n);
    }
    return 0;
  }
}
