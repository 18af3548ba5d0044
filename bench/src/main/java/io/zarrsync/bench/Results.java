package io.zarrsync.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * The figures of one benchmark item, saved as {@code WORKDIR/results/ITEM.properties} so that the
 * summary (a separate JVM) can print every item of the run in one table.
 */
final class Results {
  private final Path file;
  private final Properties values = new Properties();

  private Results(Path file) {
    this.file = file;
  }

  /** An empty result set for {@code item}. */
  static Results create(Path work, String item) {
    return new Results(work.resolve("results").resolve(item + ".properties"));
  }

  /** The saved results of {@code item}, or null if that item did not run. */
  static Results load(Path work, String item) throws IOException {
    Results r = create(work, item);
    if (!Files.exists(r.file)) {
      return null;
    }
    try (Reader in = Files.newBufferedReader(r.file, StandardCharsets.UTF_8)) {
      r.values.load(in);
    }
    return r;
  }

  void put(String key, double value) {
    values.setProperty(key, String.format(Locale.ROOT, "%.6g", value));
  }

  void put(String key, long value) {
    values.setProperty(key, Long.toString(value));
  }

  void put(String key, String value) {
    values.setProperty(key, value);
  }

  /** The value of {@code key}, or NaN if missing. */
  double get(String key) {
    String v = values.getProperty(key);
    return v == null ? Double.NaN : Double.parseDouble(v);
  }

  String text(String key) {
    return values.getProperty(key, "");
  }

  void save() throws IOException {
    Files.createDirectories(file.getParent());
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      values.store(out, null);
    }
  }
}
