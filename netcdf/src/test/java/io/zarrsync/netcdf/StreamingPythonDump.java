package io.zarrsync.netcdf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.testing.TestEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@code dump_netcdf.py} over a list of files in one background Python process and hands out
 * each file's JSON record as soon as Python has written it, so the Java side can compare file 1
 * while Python still reads file 2.
 */
final class StreamingPythonDump implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Map<String, CompletableFuture<JsonNode>> records = new LinkedHashMap<>();
  private final Instant deadline;
  private final Path workDir;

  private StreamingPythonDump(Process process, List<String> files, Duration timeout, Path workDir) {
    this.process = process;
    this.deadline = Instant.now().plus(timeout);
    this.workDir = workDir;
    files.forEach(f -> records.put(f, new CompletableFuture<>()));
    Thread reader = new Thread(this::readRecords, "python-dump-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts Python over {@code files} (paths relative to {@code root}). */
  static StreamingPythonDump start(Path root, List<String> files, Duration timeout) {
    TestEnvironment.requirePython();
    try {
      Path dir = Files.createTempDirectory("zarrsync-interop-");
      Path script = dir.resolve("dump_netcdf.py");
      try (InputStream in = StreamingPythonDump.class.getResourceAsStream("dump_netcdf.py")) {
        Files.write(
            script,
            Objects.requireNonNull(in, "dump_netcdf.py is not on the test classpath")
                .readAllBytes());
      }
      Path list = dir.resolve("files.txt");
      Files.write(list, files);
      Process p =
          new ProcessBuilder(
                  TestEnvironment.PYTHON, script.toString(), root.toString(), list.toString())
              .redirectError(dir.resolve("stderr.txt").toFile())
              .start();
      return new StreamingPythonDump(p, files, timeout, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + TestEnvironment.PYTHON, e);
    }
  }

  /** The record of {@code file}, waiting for Python as long as the overall timeout allows. */
  JsonNode await(String file) {
    CompletableFuture<JsonNode> f = records.get(file);
    if (f == null) {
      throw new IllegalArgumentException("not in the dump list: " + file);
    }
    long waitMillis = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
    try {
      return f.get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new AssertionError("python did not dump " + file + " in time", e);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for python", e);
    }
  }

  private void readRecords() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = JSON.readTree(line);
        CompletableFuture<JsonNode> f = records.get(n.get("file").asText());
        if (f != null) {
          f.complete(n);
        }
      }
      int code = process.waitFor();
      failMissing("python exited with code " + code + " before dumping this file; " + stderr());
    } catch (IOException | RuntimeException e) {
      failMissing("reading python's output failed: " + e + "; " + stderr());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failMissing("interrupted");
    }
  }

  private void failMissing(String reason) {
    records.values().forEach(f -> f.completeExceptionally(new AssertionError(reason)));
  }

  private String stderr() {
    try {
      return "stderr:\n" + Files.readString(workDir.resolve("stderr.txt"));
    } catch (IOException e) {
      return "stderr unreadable: " + e;
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      for (String name : List.of("dump_netcdf.py", "files.txt", "stderr.txt")) {
        Files.deleteIfExists(workDir.resolve(name));
      }
      Files.deleteIfExists(workDir);
    } catch (IOException e) {
      // Leftovers in the temp directory do no harm.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
