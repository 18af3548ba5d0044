package io.zarrsync.zarr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs /usr/bin/python3 for interop tests. When Python or a module is missing the test is skipped,
 * unless the environment variable CI is "true": then it fails, so CI cannot silently skip interop.
 */
public final class PythonRunner {
  public static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Map<String, String> PROBES = new ConcurrentHashMap<>();

  private PythonRunner() {}

  /** Skips (or fails on CI) unless python3 can import every module in {@code modules}. */
  public static void requireModules(String... modules) {
    String imports = String.join(", ", modules);
    String problem = PROBES.computeIfAbsent(imports, PythonRunner::probe);
    if (problem.isEmpty()) {
      return;
    }
    String message = "Python interop needs " + PYTHON + " with " + imports + ": " + problem;
    if ("true".equals(System.getenv("CI"))) {
      fail(message + " (CI=true, so this fails instead of skipping)");
    }
    Assumptions.abort(message);
  }

  private static String probe(String imports) {
    if (!Files.isExecutable(PYTHON)) {
      return PYTHON + " is missing";
    }
    try {
      Result r =
          exec(Duration.ofSeconds(60), List.of(PYTHON.toString(), "-c", "import " + imports));
      return r.exitCode == 0 ? "" : r.stderr.strip();
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** The file of a test resource (resources are directories on the test class path). */
  public static Path resource(String name) {
    URL url = PythonRunner.class.getResource(name);
    assertThat(url).as("test resource %s", name).isNotNull();
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code script} with {@code args} and returns its stdout; fails on a non-zero exit. */
  public static String run(Duration timeout, Path script, String... args) {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString()));
    command.addAll(List.of(args));
    try {
      Result r = exec(timeout, command);
      if (r.exitCode != 0) {
        fail(script.getFileName() + " exited with " + r.exitCode + ":\n" + r.stderr);
      }
      return r.stdout;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    }
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private static Result exec(Duration timeout, List<String> command) throws IOException {
    Path out = Files.createTempFile("python-out", ".txt");
    Path err = Files.createTempFile("python-err", ".txt");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      try {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          fail(command + " did not finish within " + timeout);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running " + command, e);
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
