package io.zarrsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The synthetic inputs of the sync benchmark, made by {@code gen_synthetic.py} and cached under the
 * work directory: a later run (or a full run after a quick one) generates only what is missing.
 * Each generation goes to a {@code .part} directory first, so an interrupted run leaves no
 * half-written file in the cache.
 */
final class Inputs {
  private static final LocalDate START = LocalDate.of(2022, 1, 1);
  private static final String SST_SUFFIX = "032000-ABOM-L3S_GHRSST-SSTskin-AVHRR_D-1d_day.nc";
  private static final long TIMEOUT_SECONDS = 7200;

  private final Path generator;
  private final Path root;

  /**
   * @param generator path of {@code gen_synthetic.py}
   * @param root cache directory ({@code WORKDIR/inputs})
   */
  Inputs(Path generator, Path root) {
    this.generator = generator;
    this.root = root;
  }

  /** The file name gen_synthetic.py gives day {@code index} (day 0 is 2022-01-01). */
  static String sstName(int index) {
    return START.plusDays(index).format(DateTimeFormatter.BASIC_ISO_DATE) + SST_SUFFIX;
  }

  /** Directory of the cached SST days of one grid size. */
  Path sstDir(int lat, int lon) {
    return root.resolve("sst-" + lat + "x" + lon).resolve("days");
  }

  /** Days {@code 0..days-1} of a {@code lat x lon} grid, generating the missing ones. */
  List<Path> sstDays(int days, int lat, int lon) throws IOException, InterruptedException {
    Path dir = sstDir(lat, lon);
    Files.createDirectories(dir);
    int i = 0;
    while (i < days) {
      if (Files.exists(dir.resolve(sstName(i)))) {
        i++;
        continue;
      }
      int end = i;
      while (end < days && !Files.exists(dir.resolve(sstName(end)))) {
        end++;
      }
      System.out.printf(
          "  generating SST days %d..%d (%d x %d) into %s%n", i, end - 1, lat, lon, dir);
      Path part = scratch(dir.getParent());
      generate(
          "sst",
          part,
          "--days",
          Integer.toString(end - i),
          "--start",
          START.plusDays(i).toString(),
          "--lat",
          Integer.toString(lat),
          "--lon",
          Integer.toString(lon));
      for (int d = i; d < end; d++) {
        Files.move(part.resolve(sstName(d)), dir.resolve(sstName(d)));
      }
      Measure.deleteTree(part);
      i = end;
    }
    List<Path> out = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      out.add(dir.resolve(sstName(d)));
    }
    return out;
  }

  /**
   * The revised version of day {@code index} (gen_synthetic's {@code --revise} output: same time,
   * changed values and date_created), cached next to the grid's days.
   */
  Path revisedSst(int index, int lat, int lon) throws IOException, InterruptedException {
    Path dir = sstDir(lat, lon).resolveSibling("revised");
    Path target = dir.resolve(sstName(index));
    if (Files.exists(target)) {
      return target;
    }
    Files.createDirectories(dir);
    Path part = scratch(dir.getParent());
    generate(
        "sst",
        part,
        "--days",
        "1",
        "--start",
        START.plusDays(index).toString(),
        "--revise",
        "0",
        "--lat",
        Integer.toString(lat),
        "--lon",
        Integer.toString(lon));
    Files.move(part.resolve("rev1").resolve(sstName(index)), target);
    Measure.deleteTree(part);
    return target;
  }

  /** Every file of an Argo-like set of {@code floats x cycles} (D files every 2nd cycle). */
  List<Path> argo(int floats, int cycles) throws IOException, InterruptedException {
    Path dir = root.resolve("argo-" + floats + "x" + cycles);
    if (!Files.isDirectory(dir)) {
      System.out.printf(
          "  generating Argo files (%d floats x %d cycles) into %s%n", floats, cycles, dir);
      Path part = scratch(root);
      generate(
          "argo",
          part,
          "--floats",
          Integer.toString(floats),
          "--cycles",
          Integer.toString(cycles),
          "--dmode",
          "2");
      Files.move(part, dir, StandardCopyOption.ATOMIC_MOVE);
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".nc")).sorted().toList();
    }
  }

  private static Path scratch(Path parent) throws IOException {
    Files.createDirectories(parent);
    Path part = parent.resolve(".part");
    Measure.deleteTree(part);
    return part;
  }

  private void generate(String kind, Path out, String... options)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(List.of(Measure.PYTHON, generator.toString(), kind, out.toString()));
    cmd.addAll(List.of(options));
    Measure.run(cmd, TIMEOUT_SECONDS);
  }
}
