package io.zarrsync.zarr;

import java.util.Locale;

/**
 * A chunk compressor, compatible with numcodecs: {@code {"id": "zstd", "level": 3}}, {@code {"id":
 * "zlib", "level": 1}}, or no compression ({@code "compressor": null}, here {@link #none()}).
 *
 * @param id "zstd", "zlib" or "none"
 * @param level the compression level: zstd's range (negative fast levels up to 22), zlib 0 to 9,
 *     and 0 for none
 */
public record Codec(String id, int level) {
  public static final String ZSTD = "zstd";
  public static final String ZLIB = "zlib";
  public static final String NONE = "none";

  public Codec {
    if (id == null) {
      throw new IllegalArgumentException("codec id must not be null");
    }
    id = id.toLowerCase(Locale.ROOT);
    switch (id) {
      case ZSTD -> ZstdCompression.checkLevel(level);
      case ZLIB -> {
        if (level < 0 || level > 9) {
          throw new IllegalArgumentException("zlib level must be 0 to 9, got " + level);
        }
      }
      case NONE -> {
        if (level != 0) {
          throw new IllegalArgumentException("codec 'none' takes no level, got " + level);
        }
      }
      default ->
          throw new IllegalArgumentException(
              "unsupported codec '" + id + "': use zstd, zlib or none");
    }
  }

  /** Zstandard at {@code level}; frames carry their content size, as numcodecs needs. */
  public static Codec zstd(int level) {
    return new Codec(ZSTD, level);
  }

  /** zlib (RFC 1950 framing, like Python's {@code zlib.compress}) at {@code level}. */
  public static Codec zlib(int level) {
    return new Codec(ZLIB, level);
  }

  /** No compression. */
  public static Codec none() {
    return new Codec(NONE, 0);
  }

  public boolean isNone() {
    return id.equals(NONE);
  }

  /** Compresses {@code raw}. */
  public byte[] encode(byte[] raw) {
    return switch (id) {
      case ZSTD -> ZstdCompression.compress(raw, level);
      case ZLIB -> ZlibCompression.compress(raw, level);
      default -> raw.clone();
    };
  }

  /**
   * Decompresses {@code encoded}.
   *
   * @throws ZarrFormatException if the bytes are not a valid stream of this codec
   */
  public byte[] decode(byte[] encoded) {
    return decode(encoded, -1);
  }

  /**
   * Decompresses {@code encoded}, which must not decode to more than {@code expectedSize} bytes
   * ({@code -1}: unknown); a damaged or hostile chunk then fails before a huge allocation.
   */
  byte[] decode(byte[] encoded, int expectedSize) {
    return switch (id) {
      case ZSTD -> ZstdCompression.decompress(encoded, expectedSize);
      case ZLIB -> ZlibCompression.decompress(encoded, expectedSize);
      default -> encoded.clone();
    };
  }
}
