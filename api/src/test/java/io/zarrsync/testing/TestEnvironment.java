package io.zarrsync.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What tests need from the machine: the shared real data set, Python with xarray/zarr/netCDF4, and
 * {@code ncgen}. When something is missing the test is skipped with a message saying what to
 * install, except on CI ({@code CI=true}), where it fails: interop tests must really run there.
 */
public final class TestEnvironment {
  /** The interpreter that has Debian's python3-xarray, python3-zarr and python3-netcdf4. */
  public static final String PYTHON = "/usr/bin/python3";

  private static Boolean pythonOk;

  private TestEnvironment() {}

  public static boolean onCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Skips the test (or fails it on CI) with {@code message} unless {@code condition} holds. */
  public static void require(boolean condition, String message) {
    if (condition) {
      return;
    }
    if (onCi()) {
      fail(message + " (CI=true, so this is a failure, not a skip)");
    }
    assumeTrue(false, message);
  }

  /** The shared data directory ({@code ../shared/data}), or skip/fail. */
  public static Path sharedData() {
    String prop = System.getProperty("zarrsync.shared");
    Path dir = prop == null ? Paths.get("..", "..", "shared") : Paths.get(prop);
    Path data = dir.resolve("data").toAbsolutePath().normalize();
    require(
        Files.isDirectory(data),
        "shared data not found at " + data + " (set -Dzarrsync.shared=DIR to the shared folder)");
    return data;
  }

  /** Every {@code *.nc} file below the shared data directory, sorted. */
  public static List<Path> sharedNetcdfFiles() {
    try (Stream<Path> s = Files.walk(sharedData())) {
      return s.filter(p -> p.toString().endsWith(".nc")).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Skips (or fails on CI) unless Python with xarray, zarr and netCDF4 is available. */
  public static void requirePython() {
    if (pythonOk == null) {
      try {
        Result r = run(List.of(PYTHON, "-c", "import xarray, zarr, netCDF4, numcodecs"), null, 120);
        pythonOk = r.exitCode() == 0;
      } catch (RuntimeException e) {
        pythonOk = false;
      }
    }
    require(
        pythonOk,
        PYTHON
            + " with xarray, zarr and netCDF4 is needed: apt-get install python3-xarray"
            + " python3-zarr python3-netcdf4");
  }

  /** Skips (or fails on CI) unless {@code ncgen} is on the PATH. */
  public static void requireNcgen() {
    boolean ok;
    try {
      ok = run(List.of("ncgen", "-version"), null, 30).exitCode() >= 0;
    } catch (RuntimeException e) {
      ok = false;
    }
    require(ok, "ncgen is needed: apt-get install netcdf-bin");
  }

  /** Output of a finished process. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /**
   * Runs a Python script (given as text) with arguments, after {@link #requirePython()}.
   *
   * @throws AssertionError if it exits non-zero (with its stderr in the message)
   */
  public static String python(String script, List<String> args, int timeoutSeconds) {
    requirePython();
    try {
      Path f = Files.createTempFile("zarrsync-test-", ".py");
      try {
        Files.writeString(f, script);
        List<String> cmd = new ArrayList<>(List.of(PYTHON, f.toString()));
        cmd.addAll(args);
        Result r = run(cmd, null, timeoutSeconds);
        if (r.exitCode() != 0) {
          throw new AssertionError(
              "python exited "
                  + r.exitCode()
                  + "\nstdout:\n"
                  + r.stdout()
                  + "\nstderr:\n"
                  + r.stderr());
        }
        return r.stdout();
      } finally {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command, waiting at most {@code timeoutSeconds}. */
  public static Result run(List<String> command, Path workDir, int timeoutSeconds) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command);
      if (workDir != null) {
        pb.directory(workDir.toFile());
      }
      Path out = Files.createTempFile("zarrsync-out-", ".txt");
      Path err = Files.createTempFile("zarrsync-err-", ".txt");
      try {
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(command + " timed out after " + timeoutSeconds + " s");
        }
        return new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
