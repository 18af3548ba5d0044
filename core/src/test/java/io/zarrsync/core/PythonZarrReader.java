package io.zarrsync.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.testing.TestEnvironment;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Python process that answers, store after store, with one JSON line per store path written to
 * its stdin. By default zarr_readable.py: whether {@code xarray.open_zarr(path, consolidated=True)}
 * works and every variable loads. Started once per test class: importing xarray takes about a
 * second, a check of a small store some milliseconds.
 */
final class PythonZarrReader implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the script said about one store: {@code ok}, else the {@code error}; all of it in json.
   */
  record Answer(boolean ok, String error, JsonNode json) {}

  private final Process process;
  private final BufferedWriter in;
  private final BufferedReader out;
  private final Path script;
  private final Path stderr;

  private PythonZarrReader(Process process, Path script, Path stderr) {
    this.process = process;
    this.script = script;
    this.stderr = stderr;
    this.in =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts zarr_readable.py, after {@link TestEnvironment#requirePython()} (skip or fail). */
  static PythonZarrReader start() {
    return start("/zarr_readable.py");
  }

  /**
   * Starts the script in the test resource {@code resource} with {@code args}; it must print {@code
   * {"ready": true}} first, then one JSON line (with {@code ok} and {@code error}) per path.
   */
  static PythonZarrReader start(String resource, String... args) {
    TestEnvironment.requirePython();
    try {
      Path script = Files.createTempFile("zarrsync-reader-", ".py");
      try (InputStream s = PythonZarrReader.class.getResourceAsStream(resource)) {
        Files.write(script, s.readAllBytes());
      }
      Path stderr = Files.createTempFile("zarrsync-reader-", ".err");
      List<String> cmd = new ArrayList<>(List.of(TestEnvironment.PYTHON, script.toString()));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
      PythonZarrReader r = new PythonZarrReader(p, script, stderr);
      r.answer("start");
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asks whether the store at {@code store} opens and loads. */
  synchronized Answer check(Path store) {
    try {
      in.write(store.toAbsolutePath().toString());
      in.newLine();
      in.flush();
    } catch (IOException e) {
      throw new AssertionError("the Python reader is gone: " + stderrText(), e);
    }
    JsonNode n = answer(store.toString());
    return new Answer(n.path("ok").asBoolean(), n.path("error").asText(null), n);
  }

  private JsonNode answer(String what) {
    try {
      String line = out.readLine();
      if (line == null) {
        throw new AssertionError(
            "the Python reader exited while checking " + what + ": " + stderrText());
      }
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("cannot read the Python reader's answer for " + what, e);
    }
  }

  private String stderrText() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
    }
  }

  @Override
  public synchronized void close() {
    try {
      in.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      Files.deleteIfExists(script);
      Files.deleteIfExists(stderr);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
