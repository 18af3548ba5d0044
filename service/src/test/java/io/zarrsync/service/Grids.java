package io.zarrsync.service;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.core.EngineOptions;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.netcdf.write.Nc3Writer;
import io.zarrsync.zarr.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small daily grid files (NetCDF-3, written by zarrsync's own writer, like {@code zarrsync demo})
 * and the collection config that reads them: one time slot per day, a 6 x 8 grid.
 */
final class Grids {
  static final int NLAT = 6;
  static final int NLON = 8;
  static final LocalDate START = LocalDate.of(2024, 1, 1);
  private static final long EPOCH_1981 = LocalDate.of(1981, 1, 1).toEpochDay();

  private Grids() {}

  /** A grid collection named {@code name} whose files match {@code match} (a regex on the key). */
  static CollectionConfig config(String name, String match) {
    return CollectionConfig.parse(
        String.join(
            "\n",
            "name: " + name,
            "match: '" + match + "'",
            "layout: grid",
            "axis: {dim: time, variable: time, step: P1D, origin: 2024-01-01T00:00:00Z}",
            "chunks: {time: 1, lat: " + NLAT + ", lon: " + NLON + "}",
            "variables: [analysed_sst]",
            ""),
        null);
  }

  /** The collection of {@code dir/YYYYMMDD.nc} files. */
  static CollectionConfig daily(String name, String dir) {
    return config(name, dir + "/\\d{8}\\.nc");
  }

  /** The key of day {@code day} (0 = 2024-01-01) under {@code dir}. */
  static String key(String dir, int day) {
    return dir + "/" + START.plusDays(day).toString().replace("-", "") + ".nc";
  }

  /** An engine over the local source {@code root} and {@code store}, default options. */
  static SyncEngine engine(CollectionConfig c, Path root, Store store) {
    return SyncEngine.open(c, new LocalDirectorySource(root), store, EngineOptions.defaults());
  }

  /**
   * Writes day {@code day} at {@code root/key} (atomically, as a producer would) and returns it.
   */
  static Path writeDay(Path root, String key, int day, int revision) {
    LocalDate date = START.plusDays(day);
    NdArray time = NdArray.allocate(DataType.INT, 1);
    time.setLong(0, (date.toEpochDay() - EPOCH_1981) * 86400L + 12 * 3600L);
    NdArray lat = NdArray.allocate(DataType.FLOAT, NLAT);
    NdArray lon = NdArray.allocate(DataType.FLOAT, NLON);
    for (int i = 0; i < NLAT; i++) {
      lat.setDouble(i, -75 + 30.0 * i);
    }
    for (int j = 0; j < NLON; j++) {
      lon.setDouble(j, -157.5 + 45.0 * j);
    }
    NdArray sst = NdArray.allocate(DataType.SHORT, 1, NLAT, NLON);
    for (int i = 0; i < NLAT; i++) {
      for (int j = 0; j < NLON; j++) {
        sst.setLong(i * NLON + j, 1000 + 100L * day + 10L * i + j + 7L * revision);
      }
    }
    Map<String, Object> sstAttrs = new LinkedHashMap<>();
    sstAttrs.put("_FillValue", (short) -32768);
    sstAttrs.put("units", "kelvin");
    sstAttrs.put("scale_factor", 0.01f);
    sstAttrs.put("add_offset", 273.15f);
    Path file = root.resolve(key);
    Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
    try {
      Files.createDirectories(file.getParent());
      new Nc3Writer()
          .unlimitedDimension("time")
          .dimension("lat", NLAT)
          .dimension("lon", NLON)
          .globalAttribute("title", "zarrsync service test")
          .globalAttribute("date_created", date.atStartOfDay().toInstant(ZoneOffset.UTC) + " r")
          .variable(
              "time",
              DataType.INT,
              List.of("time"),
              Map.of("units", "seconds since 1981-01-01 00:00:00", "axis", "T"),
              time)
          .variable("lat", DataType.FLOAT, List.of("lat"), Map.of("units", "degrees_north"), lat)
          .variable("lon", DataType.FLOAT, List.of("lon"), Map.of("units", "degrees_east"), lon)
          .variable("analysed_sst", DataType.SHORT, List.of("time", "lat", "lon"), sstAttrs, sst)
          .write(tmp);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Writes day {@code day} at {@link #key(String, int)} and returns its key. */
  static String writeDay(Path root, String dir, int day) {
    String k = key(dir, day);
    writeDay(root, k, day, 0);
    return k;
  }
}
