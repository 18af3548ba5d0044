package io.zarrsync.netcdf.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import io.jhdf.HdfFile;
import io.jhdf.dataset.DatasetBase;
import io.zarrsync.api.NdArray;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import io.zarrsync.netcdf.Variable;
import io.zarrsync.testing.TestEnvironment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read speed on a real-size GHRSST L3S grid (4500 x 6000 int16, deflate + shuffle, chunks 1 x 1125
 * x 1500) from the shared generator. Off by default (it writes a 22 MB file and reads 270 MB); run
 * with {@code -Dzarrsync.bench=true -Dtest=Hdf5ReadBenchmarkTest}.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "zarrsync.bench", matches = "true")
class Hdf5ReadBenchmarkTest {
  static final String VAR = "sea_surface_temperature";

  @Test
  void readSpeed(@TempDir Path dir) {
    Path tools = Paths.get(System.getProperty("zarrsync.shared", "../../shared"), "tools");
    TestEnvironment.requirePython();
    TestEnvironment.Result r =
        TestEnvironment.run(
            List.of(
                TestEnvironment.PYTHON,
                tools.resolve("gen_synthetic.py").toString(),
                "sst",
                dir.toString(),
                "--days",
                "1",
                "--lat",
                "4500",
                "--lon",
                "6000"),
            null,
            300);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    Path nc = Paths.get(r.stdout().strip().lines().reduce((a, b) -> b).orElseThrow());
    double mb = 4500.0 * 6000 * 2 / 1e6;
    NdArray whole = null;
    // Each pass opens the file afresh so that the decoded-chunk cache of one pass cannot serve the
    // next: these are cold reads of the variable (the OS page cache is warm).
    for (int rep = 0; rep < 4; rep++) {
      try (NetcdfFile f = NetcdfFiles.open(nc)) {
        cpuStart = cpuNanos();
        long t = System.nanoTime();
        whole = f.findVariable(VAR).orElseThrow().read();
        report("zarrsync whole variable", mb, t);
      }
      try (NetcdfFile f = NetcdfFiles.open(nc)) {
        Variable v = f.findVariable(VAR).orElseThrow();
        cpuStart = cpuNanos();
        long t = System.nanoTime();
        int checked = 0;
        for (int y = 0; y < 4500; y += 1000) {
          for (int x = 0; x < 6000; x += 1000) {
            int ny = Math.min(1000, 4500 - y);
            int nx = Math.min(1000, 6000 - x);
            NdArray slab = v.read(new long[] {0, y, x}, new int[] {1, ny, nx});
            if (rep == 0) {
              NdArray expected = whole.section(new int[] {0, y, x}, new int[] {1, ny, nx});
              assertThat(slab.contentEquals(expected)).as("slab at %d, %d", y, x).isTrue();
              checked++;
            }
          }
        }
        report("zarrsync 1000x1000 slabs", mb, t);
        if (rep == 0) {
          assertThat(checked).isEqualTo(30);
        }
      }
    }
    try (HdfFile h = new HdfFile(nc)) {
      DatasetBase d = (DatasetBase) h.getDatasetByPath(VAR);
      for (int rep = 0; rep < 2; rep++) {
        cpuStart = cpuNanos();
        long t = System.nanoTime();
        ByteBuffer b = d.getSliceDataBuffer(new long[] {0, 0, 0}, new int[] {1, 4500, 6000});
        report("jhdf getSliceDataBuffer whole", mb, t);
        assertThat(b.remaining()).isEqualTo(4500 * 6000 * 2);
        cpuStart = cpuNanos();
        t = System.nanoTime();
        for (int y = 0; y < 4500; y += 1000) {
          for (int x = 0; x < 6000; x += 1000) {
            d.getSliceDataBuffer(
                new long[] {0, y, x},
                new int[] {1, Math.min(1000, 4500 - y), Math.min(1000, 6000 - x)});
          }
        }
        report("jhdf getSliceDataBuffer 1000x1000 slabs", mb, t);
      }
    }
  }

  private static long cpuStart;

  /** Wall time, and process CPU time (the machine is shared: CPU time varies less with load). */
  private static void report(String what, double mb, long startNanos) {
    double s = (System.nanoTime() - startNanos) / 1e9;
    long cpu = cpuNanos();
    double c = (cpu - cpuStart) / 1e9;
    System.out.printf(
        "%-42s %6.3f s %7.0f MB/s   cpu %6.3f s %7.0f MB/cpu-s%n", what, s, mb / s, c, mb / c);
    cpuStart = cpuNanos();
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
