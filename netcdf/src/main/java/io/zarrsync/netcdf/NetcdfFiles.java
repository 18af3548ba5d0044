package io.zarrsync.netcdf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Opens NetCDF files of any supported format. */
public final class NetcdfFiles {
  private static final List<NetcdfReaderProvider> PROVIDERS =
      ServiceLoader.load(NetcdfReaderProvider.class, NetcdfFiles.class.getClassLoader()).stream()
          .map(ServiceLoader.Provider::get)
          .collect(Collectors.toUnmodifiableList());

  private NetcdfFiles() {}

  /**
   * Opens {@code path} with the first reader that recognises its magic bytes.
   *
   * @throws InvalidNetcdfFileException if the file is missing, empty, not NetCDF or damaged
   */
  public static NetcdfFile open(Path path) {
    return open(path, ReadOptions.DEFAULTS);
  }

  /**
   * Opens {@code path} with the first reader that recognises its magic bytes, reading as {@code
   * options} say.
   *
   * @throws InvalidNetcdfFileException if the file is missing, empty, not NetCDF or damaged
   */
  public static NetcdfFile open(Path path, ReadOptions options) {
    byte[] magic = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(path)) {
      n = in.readNBytes(magic, 0, magic.length);
    } catch (NoSuchFileException e) {
      throw new InvalidNetcdfFileException(path.toString(), "no such file", e);
    } catch (IOException e) {
      throw new InvalidNetcdfFileException(path.toString(), "cannot read: " + e.getMessage(), e);
    }
    if (n == 0) {
      throw new InvalidNetcdfFileException(path.toString(), "file is empty");
    }
    if (n < 4) {
      throw new InvalidNetcdfFileException(path.toString(), "file is too short to be NetCDF");
    }
    for (NetcdfReaderProvider p : PROVIDERS) {
      if (p.canOpen(magic)) {
        return p.open(path, options);
      }
    }
    throw new InvalidNetcdfFileException(
        path.toString(), "not a NetCDF file (no NetCDF-3 or HDF5 signature)");
  }
}
