package io.zarrsync.cli;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.core.EngineOptions;
import io.zarrsync.core.ProgressListener;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.netcdf.write.Nc3Writer;
import io.zarrsync.zarr.store.FileSystemStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A small daily SST grid collection for process-level tests: its config file, a source directory of
 * NetCDF-3 days written by {@link Nc3Writer} (20 x 30 cells, chunks of 2 days x 10 x 15, so one day
 * touches 8 data chunks and shares them with its neighbour day), revisions, removals and corrupt
 * files.
 */
final class SstCollection {
  static final int NLAT = 20;
  static final int NLON = 30;
  static final LocalDate START = LocalDate.of(2024, 1, 1);
  private static final long EPOCH_1981 = LocalDate.of(1981, 1, 1).toEpochDay();

  private final Path config;
  private final Path source;

  /** Writes the config into {@code dir} and creates {@code dir/source}. */
  SstCollection(Path dir) {
    this.config = dir.resolve("sst.yaml");
    this.source = dir.resolve("source");
    try {
      Files.createDirectories(source.resolve("sst"));
      Files.writeString(
          config,
          String.join(
              "\n",
              "name: crash-sst",
              "match: 'sst/\\d{8}\\.nc'",
              "layout: grid",
              "axis: {dim: time, variable: time, step: P1D, origin: 2024-01-01T00:00:00Z}",
              "chunks: {time: 2, lat: 10, lon: 15}",
              "variables: [analysed_sst, quality_level]",
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path config() {
    return config;
  }

  Path source() {
    return source;
  }

  /** The options naming this collection, its source and {@code store}. */
  List<String> options(Path store) {
    return List.of(
        "-c", config.toString(), "--source", source.toString(), "--store", store.toString());
  }

  /**
   * A fresh sync of the current source into the empty directory {@code dir}: the reference a store
   * must equal. Through the engine, without fsync (nothing here survives a crash).
   */
  void freshSync(Path dir) {
    try (SyncEngine e =
        SyncEngine.open(
            CollectionConfig.load(config),
            new LocalDirectorySource(source),
            new FileSystemStore(dir, false),
            EngineOptions.defaults())) {
      e.sync(ProgressListener.NONE);
    }
  }

  static String key(int day) {
    return "sst/" + date(day).toString().replace("-", "") + ".nc";
  }

  static LocalDate date(int day) {
    return START.plusDays(day);
  }

  Path path(int day) {
    return source.resolve(key(day));
  }

  /** Every key in the source directory, sorted. */
  Set<String> keys() {
    try (Stream<Path> s = Files.walk(source)) {
      Set<String> out = new TreeSet<>();
      s.filter(Files::isRegularFile)
          .forEach(p -> out.add(source.relativize(p).toString().replace('\\', '/')));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void remove(int day) {
    try {
      Files.delete(path(day));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A file under a valid day name that cannot be read: text, or the first half of a real day (its
   * header is fine, its data is cut off).
   */
  void writeCorrupt(int day, boolean truncated) {
    Path p = path(day);
    try {
      if (truncated) {
        writeDay(day, 0);
        byte[] b = Files.readAllBytes(p);
        replace(p, Arrays.copyOf(b, b.length / 2));
      } else {
        replace(p, ("not a NetCDF file: day " + day + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One day: a smooth SST field (int16 packed) with a cloud gap that moves with the day, and a
   * quality level; {@code revision} changes the values, not the time. The modification time always
   * moves forward, so that a rewrite is seen as a change even within one millisecond.
   */
  void writeDay(int day, int revision) {
    LocalDate date = date(day);
    NdArray time = NdArray.allocate(DataType.INT, 1);
    time.setLong(0, (date.toEpochDay() - EPOCH_1981) * 86400L + 12 * 3600L);
    NdArray lat = NdArray.allocate(DataType.FLOAT, NLAT);
    NdArray lon = NdArray.allocate(DataType.FLOAT, NLON);
    for (int i = 0; i < NLAT; i++) {
      lat.setDouble(i, -47.5 + 5.0 * i);
    }
    for (int j = 0; j < NLON; j++) {
      lon.setDouble(j, 100.0 + 2.0 * j);
    }
    NdArray sst = NdArray.allocate(DataType.SHORT, 1, NLAT, NLON);
    NdArray ql = NdArray.allocate(DataType.BYTE, 1, NLAT, NLON);
    for (int i = 0; i < NLAT; i++) {
      for (int j = 0; j < NLON; j++) {
        double la = -47.5 + 5.0 * i;
        double kelvin = 300.0 - 0.004 * la * la + 0.3 * Math.sin(j / 4.0 + day) + 0.25 * revision;
        boolean cloud = Math.sin(i / 3.0 + day) * Math.cos(j / 5.0 - day) > 0.6;
        int idx = i * NLON + j;
        sst.setLong(idx, cloud ? -32768 : Math.round((kelvin - 273.15) / 0.01));
        ql.setLong(idx, cloud ? -128 : 1 + (revision + day) % 5);
      }
    }
    Map<String, Object> sstAttrs = new LinkedHashMap<>();
    sstAttrs.put("_FillValue", (short) -32768);
    sstAttrs.put("standard_name", "sea_surface_temperature");
    sstAttrs.put("units", "kelvin");
    sstAttrs.put("scale_factor", 0.01f);
    sstAttrs.put("add_offset", 273.15f);
    Map<String, Object> qlAttrs = new LinkedHashMap<>();
    qlAttrs.put("_FillValue", (byte) -128);
    qlAttrs.put("long_name", "quality level");
    Path file = path(day);
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    new Nc3Writer()
        .unlimitedDimension("time")
        .dimension("lat", NLAT)
        .dimension("lon", NLON)
        .globalAttribute("title", "zarrsync crash-test SST")
        .globalAttribute(
            "date_created", date.atStartOfDay().toInstant(ZoneOffset.UTC) + " revision " + revision)
        .variable(
            "time",
            DataType.INT,
            List.of("time"),
            Map.of("units", "seconds since 1981-01-01 00:00:00", "standard_name", "time"),
            time)
        .variable("lat", DataType.FLOAT, List.of("lat"), Map.of("units", "degrees_north"), lat)
        .variable("lon", DataType.FLOAT, List.of("lon"), Map.of("units", "degrees_east"), lon)
        .variable("analysed_sst", DataType.SHORT, List.of("time", "lat", "lon"), sstAttrs, sst)
        .variable("quality_level", DataType.BYTE, List.of("time", "lat", "lon"), qlAttrs, ql)
        .write(tmp);
    try {
      replace(file, Files.readAllBytes(tmp));
      Files.delete(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces a file's bytes in place, making sure its modification time changes. */
  private static void replace(Path p, byte[] bytes) throws IOException {
    FileTime before = Files.exists(p) ? Files.getLastModifiedTime(p) : null;
    Files.write(p, bytes);
    FileTime after = Files.getLastModifiedTime(p);
    if (before != null && after.toMillis() <= before.toMillis()) {
      Files.setLastModifiedTime(p, FileTime.fromMillis(before.toMillis() + 1000));
    }
  }

  /** Day indexes of {@code keys} (keys of this collection only). */
  static List<Integer> days(Iterable<String> keys) {
    List<Integer> out = new ArrayList<>();
    for (String k : keys) {
      LocalDate d =
          LocalDate.parse(k.substring(4, 12), java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
      out.add((int) (d.toEpochDay() - START.toEpochDay()));
    }
    return out;
  }
}
