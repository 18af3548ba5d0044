package io.zarrsync.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/** Small measuring helpers shared by the benchmarks. */
final class Measure {
  static final String PYTHON = "/usr/bin/python3";

  private Measure() {}

  /** Resets the peak-usage counters of the heap pools. */
  static void resetPeakHeap() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  /** Sum of the heap pools' peak usage since the last reset, in bytes. */
  static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();
  private static final Set<String> HEAP_POOLS =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toUnmodifiableSet());

  /**
   * Starts tracking the heap left after each garbage collection (an upper bound of the live set: a
   * young collection leaves old garbage in place). Unlike the used-heap peak, which G1 lets grow
   * towards -Xmx before collecting, this is what the program actually needs.
   */
  static void watchHeapAfterGc() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(
            (n, handback) -> {
              if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                  n.getType())) {
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used =
                    info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(e -> HEAP_POOLS.contains(e.getKey()))
                        .mapToLong(e -> e.getValue().getUsed())
                        .sum();
                PEAK_AFTER_GC.accumulateAndGet(used, Math::max);
              }
            },
            null,
            null);
      }
    }
  }

  /** The largest heap occupancy right after a collection since {@link #watchHeapAfterGc}. */
  static long peakHeapAfterGc() {
    return PEAK_AFTER_GC.get();
  }

  /** Peak resident set size of this process (VmHWM), in bytes, or -1 where /proc is missing. */
  static long peakRss() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** CPU time used by this JVM so far (all threads), in nanoseconds, or 0 if unsupported. */
  static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? Math.max(0, os.getProcessCpuTime())
        : 0;
  }

  /** The 1-minute load average of the machine, or NaN where /proc is missing. */
  static double loadAverage() {
    try {
      return Double.parseDouble(
          Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+", -1)[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static long size(List<Path> files) throws IOException {
    long n = 0;
    for (Path f : files) {
      n += Files.size(f);
    }
    return n;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** A finished child process: its standard output and wall time. */
  record Run(String out, double seconds) {}

  /**
   * Runs a command (standard error inherited) and returns its standard output and wall time,
   * measured from before the process starts until it exits; fails on a non-zero exit.
   */
  static Run run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
    Path out = Files.createTempFile("zarrsync-bench-", ".out");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT);
      pb.redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(out.toFile());
      long t0 = System.nanoTime();
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + cmd);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      String text = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "exit code " + p.exitValue() + " from " + cmd + ", output: " + text);
      }
      return new Run(text, seconds);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /**
   * Copies a directory tree as hard links. Safe for sources and stores that are only ever changed
   * by replacing or deleting whole files (as FileSystemStore does), never by writing in place.
   */
  static void linkTree(Path from, Path to) throws IOException {
    try (var s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createLink(target, p);
        }
      }
    }
  }

  /** Bytes of all regular files under {@code root}. */
  static long treeSize(Path root) throws IOException {
    try (var s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** Runs a Python script and returns its standard output; fails on a non-zero exit. */
  static String python(String script, List<String> args, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path f = Files.createTempFile("zarrsync-bench-", ".py");
    try {
      Files.writeString(f, script);
      List<String> cmd = new ArrayList<>(List.of(PYTHON, f.toString()));
      cmd.addAll(args);
      Path out = Files.createTempFile("zarrsync-bench-", ".out");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).inheritIO();
      pb.redirectOutput(out.toFile());
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("python timed out: " + cmd);
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      Files.deleteIfExists(out);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("python failed (" + p.exitValue() + "): " + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(f);
    }
  }
}
