package io.zarrsync.core;

import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.testing.TestEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test data written at test time: synthetic grids via gen_synthetic.py, Python checks. */
final class Fixtures {
  static final Path PYTHON = Path.of(TestEnvironment.PYTHON);

  private Fixtures() {}

  /** Skips the test, or fails it when the environment variable CI is "true". */
  static void skipOrFail(String why) {
    TestEnvironment.require(false, why);
  }

  /** The shared folder (data/ and tools/), or skip/fail. */
  static Path shared() {
    return TestEnvironment.sharedData().getParent();
  }

  /** Python with xarray, zarr and netCDF4, or skip/fail. */
  static Path python() {
    TestEnvironment.requirePython();
    return PYTHON;
  }

  static Path generator() {
    Path g = shared().resolve("tools/gen_synthetic.py");
    if (!Files.isRegularFile(g)) {
      skipOrFail(g + " is missing");
    }
    return g;
  }

  /** Runs a Python script (as text) with arguments; returns stdout, fails on a non-zero exit. */
  static String runPython(String script, String... args) {
    try {
      Path dir = Files.createTempDirectory("zarrsync-py");
      Path file = dir.resolve("script.py");
      Files.writeString(file, script);
      List<String> cmd = new ArrayList<>(List.of(python().toString(), file.toString()));
      cmd.addAll(List.of(args));
      return run(cmd);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static String run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        boolean done = p.waitFor(300, TimeUnit.SECONDS);
        if (!done) {
          p.destroyForcibly();
          throw new AssertionError("timed out: " + cmd);
        }
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("exit " + p.exitValue() + " from " + cmd + ":\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Synthetic days 0..days-1 (0 = 2022-01-01) written by gen_synthetic.py's write_sst into {@code
   * dir}, in NetCDF-4 or, with {@code classic}, NetCDF-3 classic format; returns them in date
   * order.
   */
  static List<Path> sst(Path dir, int days, int lat, int lon, boolean classic) {
    List<Path> out = new ArrayList<>();
    StringBuilder spec = new StringBuilder();
    for (int d = 0; d < days; d++) {
      Path p = dir.resolve(sstName(d));
      out.add(p);
      spec.append(p).append(',').append(d).append(",0;");
    }
    writeSst(spec.toString(), lat, lon, classic);
    return out;
  }

  /**
   * One synthetic day (0 = 2022-01-01) written to {@code path} with the given revision (values
   * change, the time does not), lacking the variables in {@code drop}.
   */
  static void sstDay(
      Path path, int day, int lat, int lon, int revision, boolean classic, String... drop) {
    writeSst(
        path + "," + day + "," + revision + "," + String.join("+", drop) + ";", lat, lon, classic);
  }

  private static void writeSst(String spec, int lat, int lon, boolean classic) {
    runPython(
        String.join(
            "\n",
            "import sys, datetime as dt",
            "sys.path.insert(0, sys.argv[1])",
            "import gen_synthetic as g, netCDF4",
            "classic = sys.argv[4] == '1'",
            "orig = netCDF4.Dataset",
            "class DS(orig):",
            "    def __init__(self, path, mode='r', format='NETCDF4', **kw):",
            "        if classic and mode == 'w':",
            "            format = 'NETCDF3_CLASSIC'",
            "        super().__init__(path, mode, format=format, **kw)",
            "g.netCDF4.Dataset = DS",
            "for item in sys.argv[5].split(';'):",
            "    if not item:",
            "        continue",
            "    parts = item.split(',')",
            "    drop = tuple(x for x in (parts[3] if len(parts) > 3 else '').split('+') if x)",
            "    day = dt.date(2022, 1, 1) + dt.timedelta(days=int(parts[1]))",
            "    g.write_sst(parts[0], day, int(sys.argv[2]), int(sys.argv[3]), int(parts[2]),"
                + " drop=drop)",
            ""),
        generator().getParent().toString(),
        Integer.toString(lat),
        Integer.toString(lon),
        classic ? "1" : "0",
        spec);
  }

  /** File name gen_synthetic.py gives day {@code day} (0 = 2022-01-01). */
  static String sstName(int day) {
    return java.time.LocalDate.of(2022, 1, 1).plusDays(day).toString().replace("-", "")
        + "032000-ABOM-L3S_GHRSST-SSTskin-AVHRR_D-1d_day.nc";
  }

  static final String SST_YAML =
      String.join(
          "\n",
          "name: synthetic-sst",
          "match: '(rev1/)?\\d{8}032000-ABOM-L3S_GHRSST-SSTskin-AVHRR_D-1d_day\\.nc'",
          "layout: grid",
          "axis: {dim: time, step: P1D, origin: 2022-01-01T03:20:00Z}",
          "rank: [date_created]",
          "chunks: {time: 1, lat: 50, lon: 50}",
          "variables: [sea_surface_temperature, sses_bias, sses_count, quality_level, sst_dtime]",
          "compressor: {id: zstd, level: 3}",
          "");

  static CollectionConfig sstConfig() {
    return CollectionConfig.parse(SST_YAML, null);
  }
}
