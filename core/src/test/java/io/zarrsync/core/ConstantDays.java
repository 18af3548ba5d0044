package io.zarrsync.core;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.netcdf.write.Nc3Writer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Daily NetCDF-3 grids (written by {@link Nc3Writer}) in which every cell of day {@code d},
 * revision {@code r} holds {@code d * 10 + r}, in an int array {@code a} and a short array {@code
 * b}: whatever a reader loads, it can tell which day and revision each chunk came from, and a torn
 * or misplaced chunk shows. Day 0 is 2022-01-01 (noon), slot 0 of {@link #config()}.
 */
final class ConstantDays {
  static final int LAT = 16;
  static final int LON = 24;
  static final int LAT_CHUNK = 8;
  static final int LON_CHUNK = 12;
  static final int MAX_REVISION = 9;

  private static final LocalDate DAY0 = LocalDate.of(2022, 1, 1);
  private static long mtime = 1_650_000_000_000L;

  static final String YAML =
      String.join(
          "\n",
          "name: constant-days",
          "match: 'day/\\d{8}\\.nc'",
          "layout: grid",
          "axis: {dim: time, step: P1D, origin: 2022-01-01T00:00:00Z}",
          "chunks: {time: 2, lat: " + LAT_CHUNK + ", lon: " + LON_CHUNK + "}",
          "variables: [a, b]",
          "compressor: {id: zstd, level: 1}",
          "");

  private ConstantDays() {}

  static CollectionConfig config() {
    return CollectionConfig.parse(YAML, null);
  }

  /** The source key of day {@code day}. */
  static String key(int day) {
    return "day/" + DAY0.plusDays(day).toString().replace("-", "") + ".nc";
  }

  /** Writes day {@code day}, revision {@code revision} under {@code source} (atomically). */
  static void write(Path source, int day, int revision) {
    if (revision < 0 || revision > MAX_REVISION) {
      throw new IllegalArgumentException("revision 0.." + MAX_REVISION + ": " + revision);
    }
    int value = day * 10 + revision;
    NdArray time = NdArray.allocate(DataType.INT, 1);
    time.setLong(0, day * 86_400L + 43_200L);
    NdArray lat = NdArray.allocate(DataType.FLOAT, LAT);
    NdArray lon = NdArray.allocate(DataType.FLOAT, LON);
    for (int i = 0; i < LAT; i++) {
      lat.setDouble(i, -40.0 + 2.5 * i);
    }
    for (int j = 0; j < LON; j++) {
      lon.setDouble(j, 100.0 + 2.5 * j);
    }
    NdArray a = NdArray.allocate(DataType.INT, 1, LAT, LON);
    NdArray b = NdArray.allocate(DataType.SHORT, 1, LAT, LON);
    for (int i = 0; i < LAT * LON; i++) {
      a.setLong(i, value);
      b.setLong(i, value);
    }
    Path file = source.resolve(key(day));
    try {
      Files.createDirectories(file.getParent());
      new Nc3Writer()
          .unlimitedDimension("time")
          .dimension("lat", LAT)
          .dimension("lon", LON)
          .globalAttribute("title", "constant days for reader tests")
          .globalAttribute("revision", revision)
          .variable(
              "time",
              DataType.INT,
              List.of("time"),
              Map.of("units", "seconds since 2022-01-01 00:00:00", "calendar", "gregorian"),
              time)
          .variable("lat", DataType.FLOAT, List.of("lat"), Map.of("units", "degrees_north"), lat)
          .variable("lon", DataType.FLOAT, List.of("lon"), Map.of("units", "degrees_east"), lon)
          .variable(
              "a", DataType.INT, List.of("time", "lat", "lon"), Map.of("_FillValue", -9999), a)
          .variable(
              "b",
              DataType.SHORT,
              List.of("time", "lat", "lon"),
              Map.of("_FillValue", (short) -32768),
              b)
          .write(file);
      // strictly later mtimes: a revision of the same size must change the fingerprint
      Files.setLastModifiedTime(file, FileTime.fromMillis(nextTime()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized long nextTime() {
    mtime += 1000;
    return mtime;
  }
}
