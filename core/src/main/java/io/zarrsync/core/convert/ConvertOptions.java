package io.zarrsync.core.convert;

import io.zarrsync.zarr.Codec;
import io.zarrsync.zarr.ZarrFormat;
import java.util.Map;
import java.util.Objects;

/**
 * Options of {@link Converter}.
 *
 * @param chunks chunk length per dimension name; dimensions not listed get a default that keeps
 *     chunks near {@link #TARGET_CHUNK_BYTES}
 * @param compressor the codec of every array
 * @param format the Zarr format
 * @param threads worker threads reading, encoding and writing chunks (at least 1)
 * @param overwrite whether an existing Zarr group in the store may be replaced
 */
public record ConvertOptions(
    Map<String, Integer> chunks,
    Codec compressor,
    ZarrFormat format,
    int threads,
    boolean overwrite) {
  /** Default chunks aim at about this many uncompressed bytes. */
  public static final long TARGET_CHUNK_BYTES = 4L << 20;

  public ConvertOptions {
    chunks = Map.copyOf(chunks);
    Objects.requireNonNull(compressor, "compressor");
    Objects.requireNonNull(format, "format");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    chunks.forEach(
        (k, v) -> {
          if (v == null || v < 1) {
            throw new IllegalArgumentException("chunk length of " + k + " must be at least 1");
          }
        });
  }

  /**
   * zstd level 1 (a one-off conversion favours speed), Zarr v2, one thread per core, no overwrite.
   */
  public static ConvertOptions defaults() {
    return new ConvertOptions(
        Map.of(),
        Codec.zstd(1),
        ZarrFormat.V2,
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        false);
  }

  public ConvertOptions withChunks(Map<String, Integer> c) {
    return new ConvertOptions(c, compressor, format, threads, overwrite);
  }

  public ConvertOptions withCompressor(Codec c) {
    return new ConvertOptions(chunks, c, format, threads, overwrite);
  }

  public ConvertOptions withThreads(int t) {
    return new ConvertOptions(chunks, compressor, format, t, overwrite);
  }

  public ConvertOptions withOverwrite(boolean o) {
    return new ConvertOptions(chunks, compressor, format, threads, o);
  }

  public ConvertOptions withFormat(ZarrFormat f) {
    return new ConvertOptions(chunks, compressor, f, threads, overwrite);
  }
}
