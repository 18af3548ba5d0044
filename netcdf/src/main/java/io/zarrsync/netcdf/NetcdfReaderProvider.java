package io.zarrsync.netcdf;

import java.nio.file.Path;

/**
 * A format reader, found with {@link java.util.ServiceLoader} (register it in {@code
 * META-INF/services/io.zarrsync.netcdf.NetcdfReaderProvider}).
 */
public interface NetcdfReaderProvider {
  /** True if this reader recognises the file by its first bytes (at most 8 are given). */
  boolean canOpen(byte[] magic);

  /**
   * Opens the file.
   *
   * @throws io.zarrsync.api.InvalidSourceFileException if it is not a readable file of this format
   */
  NetcdfFile open(Path path);

  /**
   * Opens the file, reading as {@code options} say; readers without such choices ignore them.
   *
   * @throws io.zarrsync.api.InvalidSourceFileException if it is not a readable file of this format
   */
  default NetcdfFile open(Path path, ReadOptions options) {
    return open(path);
  }
}
