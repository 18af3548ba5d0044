package io.zarrsync.netcdf.testing;

import io.zarrsync.testing.TestEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Turns CDL text into a NetCDF file with {@code ncgen}, for fixtures written at test time. */
public final class Ncgen {
  private Ncgen() {}

  /**
   * Writes {@code cdl} to {@code dir/name.cdl} and runs {@code ncgen -k kind -o dir/name.nc}. Skips
   * the test (fails it on CI) when ncgen is missing.
   *
   * @param kind an ncgen {@code -k} value: {@code classic}, {@code 64-bit offset}, {@code cdf5},
   *     {@code 5}, {@code nc4}...
   */
  public static Path generate(Path dir, String name, String kind, String cdl) {
    TestEnvironment.requireNcgen();
    try {
      Path in = dir.resolve(name + ".cdl");
      Path out = dir.resolve(name + ".nc");
      Files.writeString(in, cdl);
      TestEnvironment.Result r =
          TestEnvironment.run(
              List.of("ncgen", "-k", kind, "-o", out.toString(), in.toString()), dir, 120);
      if (r.exitCode() != 0) {
        throw new AssertionError("ncgen -k " + kind + " failed: " + r.stderr() + "\nCDL:\n" + cdl);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Like {@link #generate} but through NetCDF-4: {@code ncgen -k nc4} then {@code nccopy -k kind}.
   * Needed for CDF-5 files with {@code int64} variables, which ncgen 4.9 writes as {@code int}.
   */
  public static Path generateViaNetcdf4(Path dir, String name, String kind, String cdl) {
    Path nc4 = generate(dir, name + "-nc4", "nc4", cdl);
    Path out = dir.resolve(name + ".nc");
    TestEnvironment.Result r =
        TestEnvironment.run(
            List.of("nccopy", "-k", kind, nc4.toString(), out.toString()), dir, 120);
    if (r.exitCode() != 0) {
      throw new AssertionError("nccopy -k " + kind + " failed: " + r.stderr());
    }
    return out;
  }
}
