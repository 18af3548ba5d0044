package io.zarrsync.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A {@code zarrsync} command line running in its own JVM, as a user or a cron job starts it: the
 * test JVM's classpath, a small heap and C1 only so that it starts fast. Standard output and error
 * are collected line by line while it runs, so a test can wait for a line (e.g. the {@code
 * CRASHPOINT} line of a paused writer) and then kill it with SIGKILL.
 */
final class Child implements AutoCloseable {
  /** Exit status of a process killed by SIGKILL (128 + 9). */
  static final int SIGKILL_STATUS = 137;

  private static final List<String> FAST_START =
      List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC");

  /** A class-data archive of the CLI's classes, once {@link #shareClasses} made one. */
  private static volatile Path archive;

  private static String classpath;

  /** Children still running when the test JVM exits (a writer paused at a crash point) die too. */
  private static final java.util.Set<Process> RUNNING =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(p -> p.toHandle().destroyForcibly()), "child-reaper"));
  }

  private final Process process;
  private final List<String> command;
  private final long startedNanos = System.nanoTime();
  private final Lines out;
  private final Lines err;

  private Child(Process process, List<String> command) {
    this.process = process;
    this.command = command;
    RUNNING.add(process);
    var unused = process.onExit().thenRun(() -> RUNNING.remove(process));
    this.out = new Lines(process.getInputStream(), "out-" + process.pid());
    this.err = new Lines(process.getErrorStream(), "err-" + process.pid());
  }

  /**
   * Starts {@code io.zarrsync.cli.Main args} in a new JVM.
   *
   * @param systemProperties JVM options such as {@code -Dzarrsync.crashpoints=trace}
   */
  static Child start(List<String> systemProperties, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(FAST_START);
    Path jsa = archive;
    if (jsa != null) {
      cmd.add("-XX:SharedArchiveFile=" + jsa);
    }
    cmd.addAll(systemProperties);
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add(Main.class.getName());
    cmd.addAll(args);
    try {
      return new Child(new ProcessBuilder(cmd).start(), cmd);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
  }

  /**
   * Runs {@code args} once in a child that archives the classes it loaded (a dynamic CDS archive),
   * so that later children start about a third faster. Does nothing if one exists already; if the
   * JVM cannot make one, children simply start without it.
   */
  static synchronized void shareClasses(List<String> args) {
    if (archive != null) {
      return;
    }
    try {
      Path dir = Files.createTempDirectory("zarrsync-cds");
      Path jsa = dir.resolve("cli.jsa");
      dir.toFile().deleteOnExit();
      jsa.toFile().deleteOnExit();
      String err;
      try (Child c = start(List.of("-XX:ArchiveClassesAtExit=" + jsa), args)) {
        c.waitFor(Duration.ofMinutes(2));
        err = c.stderr();
      }
      if (Files.isRegularFile(jsa) && Files.size(jsa) > 0) {
        archive = jsa;
      } else {
        System.out.println("children start without a class-data archive: " + err.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The classpath of the children: the test JVM's (surefire may start the test JVM from a
   * manifest-only jar, whose {@code java.class.path} is that jar alone; it then puts the real
   * classpath in {@code surefire.test.class.path}), without the test classes, and with class
   * directories packed into jars, because a class-data archive accepts only jars.
   */
  static synchronized String classpath() {
    if (classpath == null) {
      String cp = System.getProperty("surefire.test.class.path");
      if (cp == null || cp.isBlank()) {
        cp = System.getProperty("java.class.path");
      }
      List<String> out = new ArrayList<>();
      for (String entry : cp.split(java.io.File.pathSeparator, -1)) {
        Path p = Path.of(entry);
        if (entry.isEmpty() || p.endsWith("test-classes")) {
          continue;
        }
        out.add(Files.isDirectory(p) ? jar(p).toString() : entry);
      }
      classpath = String.join(java.io.File.pathSeparator, out);
    }
    return classpath;
  }

  private static Path jar(Path dir) {
    try {
      Path jar = Files.createTempFile("zarrsync-child-", ".jar");
      jar.toFile().deleteOnExit();
      try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
          Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          out.putNextEntry(
              new java.util.jar.JarEntry(dir.relativize(f).toString().replace('\\', '/')));
          Files.copy(f, out);
          out.closeEntry();
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pack " + dir, e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Milliseconds since the process was started. */
  long elapsedMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  /**
   * Waits until standard error has a line matching {@code line}.
   *
   * @return the line, or empty if the process closed its standard error (exited) first
   * @throws AssertionError if neither happens within {@code timeout}
   */
  Optional<String> awaitErrLine(Predicate<String> line, Duration timeout) {
    return err.await(line, timeout, this);
  }

  /** Waits until standard output has a line matching {@code line} (see {@link #awaitErrLine}). */
  Optional<String> awaitOutLine(Predicate<String> line, Duration timeout) {
    return out.await(line, timeout, this);
  }

  /**
   * Waits for the exit.
   *
   * @return the exit code
   * @throws AssertionError (after killing it) if it runs longer than {@code timeout}
   */
  int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError(
            "still running after " + timeout + ", killed: " + this + "\nstderr:\n" + stderr());
      }
      out.join();
      err.join();
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Waits up to {@code millis} for the exit.
   *
   * @return true if the process exited within that time
   */
  boolean exitsWithin(long millis) {
    try {
      return process.waitFor(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Sends SIGKILL (what {@code destroyForcibly()} does on Linux) and waits for the process to be
   * gone. Signals go through the {@link ProcessHandle}: {@link Process#destroyForcibly()} would
   * also close our ends of its pipes, losing lines it wrote just before.
   *
   * @return the exit status: {@link #SIGKILL_STATUS} if the kill ended it, its own exit code if it
   *     had exited just before
   */
  int kill() {
    process.toHandle().destroyForcibly();
    return waitFor(Duration.ofSeconds(30));
  }

  /** Sends SIGTERM and waits for the exit. */
  int terminate(Duration timeout) {
    process.toHandle().destroy();
    return waitFor(timeout);
  }

  String stdout() {
    return out.text();
  }

  String stderr() {
    return err.text();
  }

  List<String> stderrLines() {
    return err.lines();
  }

  /** Milliseconds from the start to the first standard-error line matching {@code line}. */
  OptionalLong errLineMillis(Predicate<String> line) {
    return err.firstMillis(line);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    List<String> args = command.subList(command.indexOf(Main.class.getName()) + 1, command.size());
    return "zarrsync " + String.join(" ", args) + " (pid " + process.pid() + ")";
  }

  /** The lines of one output stream, read by a daemon thread as they come. */
  private static final class Lines {
    private final List<String> lines = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final long start = System.nanoTime();
    private final Thread reader;
    private boolean closed;

    Lines(InputStream in, String name) {
      reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                  for (String l = r.readLine(); l != null; l = r.readLine()) {
                    synchronized (this) {
                      lines.add(l);
                      times.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                      notifyAll();
                    }
                  }
                } catch (IOException e) {
                  // the process died; what was read stays
                } finally {
                  synchronized (this) {
                    closed = true;
                    notifyAll();
                  }
                }
              },
              "child-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    synchronized Optional<String> await(Predicate<String> match, Duration timeout, Child child) {
      long deadline = System.nanoTime() + timeout.toNanos();
      int seen = 0;
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (match.test(lines.get(seen))) {
            return Optional.of(lines.get(seen));
          }
        }
        if (closed) {
          return Optional.empty();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no such line after " + timeout + " from " + child);
        }
        try {
          wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }

    void join() throws InterruptedException {
      reader.join(10_000);
    }

    synchronized String text() {
      return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    synchronized List<String> lines() {
      return List.copyOf(lines);
    }

    synchronized OptionalLong firstMillis(Predicate<String> match) {
      for (int i = 0; i < lines.size(); i++) {
        if (match.test(lines.get(i))) {
          return OptionalLong.of(times.get(i));
        }
      }
      return OptionalLong.empty();
    }
  }
}
