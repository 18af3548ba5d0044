package io.zarrsync.cli;

import io.zarrsync.api.DataType;
import io.zarrsync.api.NdArray;
import io.zarrsync.core.EngineOptions;
import io.zarrsync.core.ProgressListener;
import io.zarrsync.core.SourceEvent;
import io.zarrsync.core.StoreStatus;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.SyncReport;
import io.zarrsync.core.VerifyReport;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.netcdf.write.Nc3Writer;
import io.zarrsync.zarr.store.FileSystemStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zarrsync demo}: makes a small daily-SST collection and walks through the events that broke
 * the system zarrsync replaces, printing what each step changed.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a small daily SST collection (NetCDF-3 files written by zarrsync itself) and walk",
      "through out-of-order arrival, a revision of the first day, a duplicate event, a removal,",
      "a removal of a file never ingested, and a verify; then print how to open the store."
    })
final class DemoCommand implements Callable<Integer> {
  private static final int NLAT = 36;
  private static final int NLON = 72;
  private static final LocalDate START = LocalDate.of(2024, 1, 1);
  private static final long EPOCH_1981 = LocalDate.of(1981, 1, 1).toEpochDay();

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Where to put the demo collection (default: a new temporary directory).")
  Path dir;

  @Spec CommandSpec spec;

  private PrintWriter out;
  private int step;

  @Override
  public Integer call() throws IOException {
    out = spec.commandLine().getOut();
    Path root = dir != null ? dir : Files.createTempDirectory("zarrsync-demo-");
    Path source = root.resolve("source");
    Path store = root.resolve("demo-sst.zarr");
    Files.createDirectories(source.resolve("sst"));
    Path config = root.resolve("demo-sst.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "# A daily SST collection: one NetCDF file per day, one time slot per day.",
            "name: demo-sst",
            "match: 'sst/\\d{8}\\.nc'",
            "source: source",
            "store: demo-sst.zarr",
            "layout: grid",
            "axis: {dim: time, variable: time, step: P1D, origin: 2024-01-01T00:00:00Z}",
            "chunks: {time: 1, lat: 18, lon: 36}",
            "variables: [analysed_sst, quality_level]",
            ""));
    out.println("zarrsync demo in " + root);
    out.println("  config: " + config);
    out.println("  source: " + source);
    out.println("  store:  " + store);

    CollectionConfig c = CollectionConfig.load(config);
    EngineOptions options = EngineOptions.defaults();
    try (SyncEngine engine =
        SyncEngine.open(c, new LocalDirectorySource(source), new FileSystemStore(store), options)) {
      title("Days 1, 2 and 4 arrive; sync reconciles the store with the listing");
      writeDay(source, 1, 0);
      writeDay(source, 2, 0);
      writeDay(source, 4, 0);
      show(engine.sync(ProgressListener.NONE), engine);

      title(
          "Day 3 arrives late (out of order): its slot is computed from its time, axis stays sorted");
      writeDay(source, 3, 0);
      show(engine.apply(List.of(SourceEvent.created(key(3))), ProgressListener.NONE), engine);

      title("Day 1 is revised (the first record of the store: the old region finder failed here)");
      writeDay(source, 1, 1);
      show(engine.apply(List.of(SourceEvent.created(key(1))), ProgressListener.NONE), engine);

      title("The event for day 3 is delivered again: nothing to do, no commit");
      show(engine.apply(List.of(SourceEvent.created(key(3))), ProgressListener.NONE), engine);

      title("Day 4 is removed: its slot is blanked and the axis shrinks back to 3 days");
      Files.delete(source.resolve(key(4)));
      show(engine.apply(List.of(SourceEvent.removed(key(4))), ProgressListener.NONE), engine);

      title(
          "A removal event for a file that was never ingested: a no-op (the old system appended)");
      show(engine.apply(List.of(SourceEvent.removed(key(9))), ProgressListener.NONE), engine);

      title("verify re-reads every live file and compares it with the store");
      VerifyReport v = engine.verify(ProgressListener.NONE);
      out.printf(
          Locale.ROOT,
          "  %s: %d record(s) from %d file(s) compared, %d difference(s)%n",
          v.clean() ? "clean" : "DRIFT",
          v.checkedRecords(),
          v.checkedFiles(),
          v.drifts().size());
      out.println();
      out.println("Open the store with xarray:");
      out.println(
          "  /usr/bin/python3 -c 'import xarray as xr; print(xr.open_zarr(\"" + store + "\"))'");
      out.println("Run the same collection from the command line:");
      out.println("  bin/zarrsync status --config " + config);
      out.println("  bin/zarrsync log --config " + config);
      out.flush();
      return v.clean() ? ExitCodes.OK : ExitCodes.PROBLEMS_FOUND;
    }
  }

  private void title(String text) {
    out.println();
    out.println(++step + ". " + text);
  }

  private void show(SyncReport r, SyncEngine engine) {
    StringBuilder commits = new StringBuilder();
    for (Long seq : r.commits()) {
      commits.append(commits.length() == 0 ? "" : ",").append(seq);
    }
    out.printf(
        Locale.ROOT,
        "  %s: %d added, %d changed, %d removed, %d unchanged; rows written %d, blanked %d;"
            + " chunks written %d, deleted %d%n",
        r.commits().isEmpty() ? "no commit" : "commit " + commits,
        r.added(),
        r.changed(),
        r.removed(),
        r.unchanged(),
        r.rowsWritten(),
        r.rowsBlanked(),
        r.chunksWritten(),
        r.chunksDeleted());
    StoreStatus s = engine.status();
    out.printf(Locale.ROOT, "  store: %s, %d day(s) shown%n", s.dims(), s.shown());
  }

  private static String key(int day) {
    return "sst/" + START.plusDays(day - 1L).toString().replace("-", "") + ".nc";
  }

  /** One synthetic day: a smooth SST field with a moving cloud gap, packed as int16. */
  private static void writeDay(Path source, int day, int revision) {
    LocalDate date = START.plusDays(day - 1L);
    NdArray time = NdArray.allocate(DataType.INT, 1);
    time.setLong(0, (date.toEpochDay() - EPOCH_1981) * 86400L + 12 * 3600L);
    NdArray lat = NdArray.allocate(DataType.FLOAT, NLAT);
    NdArray lon = NdArray.allocate(DataType.FLOAT, NLON);
    for (int i = 0; i < NLAT; i++) {
      lat.setDouble(i, -87.5 + 5.0 * i);
    }
    for (int j = 0; j < NLON; j++) {
      lon.setDouble(j, -177.5 + 5.0 * j);
    }
    NdArray sst = NdArray.allocate(DataType.SHORT, 1, NLAT, NLON);
    NdArray ql = NdArray.allocate(DataType.BYTE, 1, NLAT, NLON);
    for (int i = 0; i < NLAT; i++) {
      for (int j = 0; j < NLON; j++) {
        double la = -87.5 + 5.0 * i;
        double kelvin = 301.0 - 0.0035 * la * la + 0.3 * Math.sin(j / 6.0 + day) + 0.5 * revision;
        boolean cloud = Math.sin(i / 3.0 + day) * Math.cos(j / 5.0 - day) > 0.6;
        int idx = i * NLON + j;
        sst.setLong(idx, cloud ? -32768 : Math.round((kelvin - 273.15) / 0.01));
        ql.setLong(idx, cloud ? -128 : 3 + (revision > 0 ? 2 : 0));
      }
    }
    Map<String, Object> sstAttrs = new LinkedHashMap<>();
    sstAttrs.put("_FillValue", (short) -32768);
    sstAttrs.put("long_name", "analysed sea surface temperature");
    sstAttrs.put("standard_name", "sea_surface_temperature");
    sstAttrs.put("units", "kelvin");
    sstAttrs.put("scale_factor", 0.01f);
    sstAttrs.put("add_offset", 273.15f);
    Map<String, Object> qlAttrs = new LinkedHashMap<>();
    qlAttrs.put("_FillValue", (byte) -128);
    qlAttrs.put("long_name", "quality level of SST pixel");
    qlAttrs.put("flag_values", new byte[] {0, 1, 2, 3, 4, 5});
    Path file = source.resolve(key(day));
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    new Nc3Writer()
        .unlimitedDimension("time")
        .dimension("lat", NLAT)
        .dimension("lon", NLON)
        .globalAttribute("title", "zarrsync demo SST")
        .globalAttribute(
            "date_created", date.atStartOfDay().toInstant(ZoneOffset.UTC) + " revision " + revision)
        .variable(
            "time",
            DataType.INT,
            List.of("time"),
            Map.of(
                "units", "seconds since 1981-01-01 00:00:00",
                "calendar", "gregorian",
                "standard_name", "time",
                "axis", "T"),
            time)
        .variable(
            "lat",
            DataType.FLOAT,
            List.of("lat"),
            Map.of("units", "degrees_north", "standard_name", "latitude"),
            lat)
        .variable(
            "lon",
            DataType.FLOAT,
            List.of("lon"),
            Map.of("units", "degrees_east", "standard_name", "longitude"),
            lon)
        .variable("analysed_sst", DataType.SHORT, List.of("time", "lat", "lon"), sstAttrs, sst)
        .variable("quality_level", DataType.BYTE, List.of("time", "lat", "lon"), qlAttrs, ql)
        .write(file);
  }
}
