package io.zarrsync.netcdf.hdf5;

import io.zarrsync.testing.TestEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** NetCDF-4 and HDF5 test files made at test time (ncgen from CDL, or Python). */
final class Fixtures {
  private Fixtures() {}

  /** Every NetCDF type, attribute kind, char/string, scalar, groups, a dimension-only dim. */
  static final String TYPES_CDL =
      """
      netcdf types {
      dimensions:
        time = UNLIMITED ;
        lat = 3 ;
        lon = 4 ;
        nodim = 2 ;
        strlen = 5 ;
      variables:
        double time(time) ;
          time:units = "days since 2000-01-01" ;
        float lat(lat) ;
          lat:units = "degrees_north" ;
        float lon(lon) ;
        short sst(time, lat, lon) ;
          sst:_FillValue = -32768s ;
          sst:scale_factor = 0.01 ;
          sst:_ChunkSizes = 1, 2, 3 ;
          sst:_DeflateLevel = 4 ;
          sst:_Shuffle = "true" ;
        byte b(nodim) ;
        ubyte ub(nodim) ;
          ub:_FillValue = 200UB ;
        ushort us(nodim) ;
        uint ui(nodim) ;
        int64 i64(nodim) ;
        uint64 u64(nodim) ;
          u64:_FillValue = 18446744073709551614ULL ;
        int i(nodim) ;
        double big(nodim) ;
          big:_Endianness = "big" ;
        char name(nodim, strlen) ;
          name:_FillValue = " " ;
        string s(nodim) ;
        int scalar ;
          scalar:comment = "scalar var" ;
          scalar:multi = "a", "bc" ;
          scalar:ints = 1, 2, 3 ;
          scalar:u = 4000000000U ;
          scalar:ul = 18446744073709551615ULL ;
          scalar:f = 1.5f, -2.25f ;
          scalar:empty = "" ;
          string scalar:strs = "one", "two" ;
          string scalar:str1 = "only" ;
        byte flagged(nodim) ;
          flagged:_Unsigned = "true" ;
          flagged:_FillValue = -1b ;
        float nodata(lat) ;
          nodata:_FillValue = -999.f ;

      // global attributes:
        :title = "all types" ;
        :version = 2 ;
      data:
        time = 1, 2 ;
        lat = 10, 20, 30 ;
        lon = 1, 2, 3, 4 ;
        sst = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
              13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, _ ;
        b = -1, 2 ;
        ub = 255, _ ;
        us = 65535, 1 ;
        ui = 4294967295, 2 ;
        i64 = -9223372036854775807, 3 ;
        u64 = 18446744073709551615, 4 ;
        i = -5, 5 ;
        big = 1.5, -2.5e300 ;
        name = "hello", "hi" ;
        s = "alpha", "" ;
        scalar = 42 ;
        flagged = 255, 1 ;

      group: sub {
        dimensions:
          n = 2 ;
        variables:
          int v(n) ;
            v:note = "in a group" ;
          int w(lat) ;
        data:
          v = 7, 8 ;
        }
      }
      """;

  /** Records of different lengths, an unlimited dimension without variable, storage layouts. */
  static final String RECORDS_CDL =
      """
      netcdf records {
      dimensions:
        t = UNLIMITED ;
        rec = UNLIMITED ;
        x = 2 ;
        y = 3 ;
      variables:
        int t(t) ;
        int a(t) ;
        int b(t) ;
          b:_FillValue = -1 ;
        short r(rec, y) ;
          r:_FillValue = -9s ;
        float x(y) ;
        int grid(y, x) ;
          grid:_Storage = "contiguous" ;
        int small(x) ;
          small:_Storage = "compact" ;
        int fl(y) ;
          fl:_Fletcher32 = "true" ;
          fl:_ChunkSizes = 2 ;
      data:
        t = 10, 20, 30 ;
        a = 1, 2, 3 ;
        b = 5 ;
        r = 1, 2, 3, 4, 5, 6 ;
        x = 0.5, 1.5, 2.5 ;
        grid = 1, 2, 3, 4, 5, 6 ;
        small = 7, 8 ;
        fl = 11, 12, 13 ;
      }
      """;

  /** The classic model (NetCDF-4 classic: one unlimited dimension, no new types). */
  static final String CLASSIC_CDL =
      """
      netcdf classic {
      dimensions:
        time = UNLIMITED ;
        x = 3 ;
        len = 4 ;
      variables:
        double time(time) ;
          time:units = "hours since 1990-01-01" ;
        short v(time, x) ;
          v:_FillValue = -1s ;
          v:scale_factor = 0.5f ;
          v:_ChunkSizes = 1, 2 ;
          v:_DeflateLevel = 1 ;
        char label(x, len) ;
        byte q(x) ;
          q:_Unsigned = "true" ;

      // global attributes:
        :title = "classic model" ;
        :levels = 1., 2.5 ;
      data:
        time = 0, 6 ;
        v = 1, 2, 3, 4, _, 6 ;
        label = "ab", "cdef", "g" ;
        q = 200, 1, 255 ;
      }
      """;

  /** A two-dimensional coordinate variable and an unlimited dimension without one. */
  static final String COORDS_CDL =
      """
      netcdf coords {
      dimensions:
        x = 2 ;
        y = 3 ;
        time = UNLIMITED ;
        extra = UNLIMITED ;
      variables:
        float x(x, y) ;
        int y(y) ;
        int v(time, y) ;
        int w(extra) ;
      data:
        x = 1, 2, 3, 4, 5, 6 ;
        y = 7, 8, 9 ;
        v = 1, 2, 3, 4, 5, 6 ;
        w = 1, 2, 3, 4 ;
      }
      """;

  static Path ncgen(Path dir, String name, String kind, String cdl) {
    TestEnvironment.requireNcgen();
    try {
      Path in = dir.resolve(name + ".cdl");
      Path out = dir.resolve(name + ".nc");
      Files.writeString(in, cdl);
      TestEnvironment.Result r =
          TestEnvironment.run(
              List.of("ncgen", "-k", kind, "-o", out.toString(), in.toString()), dir, 120);
      if (r.exitCode() != 0) {
        throw new AssertionError("ncgen -k " + kind + " failed: " + r.stderr() + "\n" + cdl);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a Python script that has h5py (skips, or fails on CI, without it). */
  static void h5py(String script, String... args) {
    TestEnvironment.requirePython();
    boolean ok =
        TestEnvironment.run(List.of(TestEnvironment.PYTHON, "-c", "import h5py"), null, 60)
                .exitCode()
            == 0;
    TestEnvironment.require(ok, "h5py is needed for this test: apt-get install python3-h5py");
    TestEnvironment.python(script, Arrays.asList(args), 120);
  }

  /** A copy of {@code file} cut to {@code length} bytes. */
  static Path truncated(Path file, Path out, long length) {
    try (InputStream in = Files.newInputStream(file)) {
      Files.write(out, in.readNBytes(Math.toIntExact(length)));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
