package io.zarrsync.core;

import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.core.txn.TxnKeys;
import io.zarrsync.zarr.store.MemoryStore;
import io.zarrsync.zarr.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A source directory the test edits (files copied from a pool, with strictly increasing mtimes so
 * that every edit changes the fingerprint) and a store kept in sync with it.
 */
final class Scenario implements AutoCloseable {
  private static long clock = 1_600_000_000_000L;

  final Path source;
  final Store store;
  final CollectionConfig config;
  final EngineOptions options;
  SyncEngine engine;

  Scenario(Path source, Store store, CollectionConfig config, EngineOptions options) {
    this.source = source;
    this.store = store;
    this.config = config;
    this.options = options;
    try {
      Files.createDirectories(source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.engine = SyncEngine.open(config, new LocalDirectorySource(source), store, options);
  }

  static Scenario memory(Path source, CollectionConfig config) {
    return new Scenario(source, new MemoryStore(), config, serial());
  }

  /** Deterministic options: one thread (the caller's), small batches allowed. */
  static EngineOptions serial() {
    return EngineOptions.defaults().withExecutor(Runnable::run, 1);
  }

  /** Copies {@code file} to {@code key} under the source with a new, later mtime. */
  Scenario put(Path file, String key) {
    try {
      Path target = source.resolve(key);
      Files.createDirectories(target.getParent());
      Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(target, FileTime.fromMillis(nextTime()));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Scenario remove(String key) {
    try {
      Files.deleteIfExists(source.resolve(key));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized long nextTime() {
    clock += 1000;
    return clock;
  }

  SyncReport sync() {
    return engine.sync(ProgressListener.NONE);
  }

  SyncReport created(String... keys) {
    return engine.apply(
        java.util.Arrays.stream(keys).map(SourceEvent::created).toList(), ProgressListener.NONE);
  }

  SyncReport removed(String... keys) {
    return engine.apply(
        java.util.Arrays.stream(keys).map(SourceEvent::removed).toList(), ProgressListener.NONE);
  }

  SyncReport apply(List<SourceEvent> events) {
    return engine.apply(events, ProgressListener.NONE);
  }

  /** The store's Zarr content (every key outside .zarrsync/) as key to SHA-256. */
  Map<String, String> zarrContent() {
    return content(store);
  }

  static Map<String, String> content(Store store) {
    Map<String, String> out = new TreeMap<>();
    for (String k : store.list("")) {
      if (!TxnKeys.internal(k)) {
        out.put(k, sha(store.get(k).orElseThrow()));
      }
    }
    return out;
  }

  /** What a fresh sync of the current source into an empty store gives. */
  Map<String, String> freshSyncContent() {
    MemoryStore fresh = new MemoryStore();
    try (SyncEngine e = SyncEngine.open(config, new LocalDirectorySource(source), fresh, options)) {
      e.sync(ProgressListener.NONE);
    }
    return content(fresh);
  }

  /** Asserts equal store content, naming only the keys that differ. */
  static void assertSame(Map<String, String> actual, Map<String, String> expected) {
    java.util.Set<String> diff = new java.util.TreeSet<>();
    for (String k : actual.keySet()) {
      if (!java.util.Objects.equals(actual.get(k), expected.get(k))) {
        diff.add(k);
      }
    }
    for (String k : expected.keySet()) {
      if (!actual.containsKey(k)) {
        diff.add(k);
      }
    }
    org.assertj.core.api.Assertions.assertThat(diff)
        .as("keys whose content differs (of %d)", expected.size())
        .isEmpty();
  }

  static String sha(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    engine.close();
  }
}
