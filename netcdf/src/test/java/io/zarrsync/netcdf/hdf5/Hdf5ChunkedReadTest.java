package io.zarrsync.netcdf.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.api.NdArray;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import io.zarrsync.netcdf.ReadOptions;
import io.zarrsync.netcdf.Variable;
import io.zarrsync.testing.TestEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunked, deflated and shuffled grid big enough for parallel chunk decoding, with chunks never
 * written (they read as the fill value) and a partial edge chunk, read whole, by slabs that do not
 * line up with the chunks (the decoded-chunk cache), and from several threads at once.
 */
class Hdf5ChunkedReadTest {
  static final int NY = 700;
  static final int NX = 900;
  static final short FILL = -1;

  @TempDir static Path dir;
  static NetcdfFile file;

  static final String WRITE =
      """
      import sys, numpy as np, netCDF4
      ny, nx = 700, 900
      y, x = np.meshgrid(np.arange(ny), np.arange(nx), indexing='ij')
      v = ((y * 7 + x * 3) % 30000 - 15000).astype('i2')
      with netCDF4.Dataset(sys.argv[1], 'w') as nc:
          nc.createDimension('time', None)
          nc.createDimension('y', ny)
          nc.createDimension('x', nx)
          s = nc.createVariable('v', 'i2', ('time', 'y', 'x'), zlib=True, shuffle=True,
                                complevel=4, chunksizes=(1, 100, 128), fill_value=-1)
          s[0, 0:300, :] = v[0:300, :]
          s[0, 650:700, 0:50] = v[650:700, 0:50]
          d = nc.createVariable('d', 'f8', ('y', 'x'), zlib=True, shuffle=True,
                                chunksizes=(64, 64))
          d[:] = v.astype('f8') / 4
      """;

  @BeforeAll
  static void write() {
    Path p = dir.resolve("grid.nc");
    TestEnvironment.python(WRITE, List.of(p.toString()), 120);
    file = NetcdfFiles.open(p);
  }

  @AfterAll
  static void close() {
    if (file != null) {
      file.close();
    }
  }

  static short expected(int y, int x) {
    boolean written = y < 300 || (y >= 650 && x < 50);
    return written ? (short) ((y * 7 + x * 3) % 30000 - 15000) : FILL;
  }

  static void assertBox(NdArray a, int y0, int x0) {
    int[] shape = a.shape();
    int ny = shape[shape.length - 2];
    int nx = shape[shape.length - 1];
    for (int y = 0; y < ny; y++) {
      for (int x = 0; x < nx; x++) {
        long got = a.getLong(y * nx + x);
        if (got != expected(y0 + y, x0 + x)) {
          throw new AssertionError(
              "at ("
                  + (y0 + y)
                  + ", "
                  + (x0 + x)
                  + "): "
                  + got
                  + " != "
                  + expected(y0 + y, x0 + x));
        }
      }
    }
  }

  @Test
  void wholeVariableWithUnwrittenChunksReadsFillThere() {
    Variable v = file.findVariable("v").orElseThrow();
    assertThat(v.storageChunks())
        .hasValueSatisfying(c -> assertThat(c).containsExactly(1, 100, 128));
    NdArray all = v.read();
    assertThat(all.shape()).containsExactly(1, NY, NX);
    assertBox(all, 0, 0);
  }

  @Test
  void misalignedSlabsMatchTheWholeRead() {
    Variable v = file.findVariable("v").orElseThrow();
    for (int y = 0; y < NY; y += 150) {
      for (int x = 0; x < NX; x += 200) {
        int ny = Math.min(150, NY - y);
        int nx = Math.min(200, NX - x);
        assertBox(v.read(new long[] {0, y, x}, new int[] {1, ny, nx}), y, x);
      }
    }
  }

  @Test
  void sequentialReadsOfBandsAndRepeatedSlabsMatch() {
    try (NetcdfFile seq = NetcdfFiles.open(file.path(), ReadOptions.SEQUENTIAL)) {
      Variable v = seq.findVariable("v").orElseThrow();
      Variable d = seq.findVariable("d").orElseThrow();
      Variable dAll = file.findVariable("d").orElseThrow();
      // Bands that cut the chunks, as the sync engine reads them; each one twice, so that a chunk
      // is read more often than its parts add up to.
      for (int y = 0; y < NY; y += 130) {
        int ny = Math.min(130, NY - y);
        for (int rep = 0; rep < 2; rep++) {
          assertBox(v.read(new long[] {0, y, 0}, new int[] {1, ny, NX}), y, 0);
          NdArray band = d.read(new long[] {y, 0}, new int[] {ny, NX});
          NdArray want = dAll.read(new long[] {y, 0}, new int[] {ny, NX});
          assertThat(band.buffer()).isEqualTo(want.buffer());
        }
      }
      assertBox(v.read(), 0, 0);
    }
  }

  @Test
  void doublesInSmallChunksReadBySingleRowsAndColumns() {
    Variable d = file.findVariable("d").orElseThrow();
    NdArray row = d.read(new long[] {123, 0}, new int[] {1, NX});
    for (int x = 0; x < NX; x++) {
      assertThat(row.getDouble(x)).isEqualTo(((123 * 7 + x * 3) % 30000 - 15000) / 4.0);
    }
    NdArray column = d.read(new long[] {0, 777}, new int[] {NY, 1});
    for (int y = 0; y < NY; y++) {
      assertThat(column.getDouble(y)).isEqualTo(((y * 7 + 777 * 3) % 30000 - 15000) / 4.0);
    }
  }

  @Test
  void concurrentReadersGetTheSameData() throws Exception {
    Variable v = file.findVariable("v").orElseThrow();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int y0 = (t * 83) % (NY - 170);
        int x0 = (t * 131) % (NX - 250);
        futures.add(
            pool.submit(
                () -> {
                  for (int rep = 0; rep < 5; rep++) {
                    assertBox(v.read(new long[] {0, y0, x0}, new int[] {1, 170, 250}), y0, x0);
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
