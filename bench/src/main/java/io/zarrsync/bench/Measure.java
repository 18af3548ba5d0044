package io.zarrsync.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
