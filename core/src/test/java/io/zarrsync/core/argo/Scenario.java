package io.zarrsync.core.argo;

import io.zarrsync.core.EngineOptions;
import io.zarrsync.core.ProgressListener;
import io.zarrsync.core.SourceEvent;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.SyncReport;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.source.LocalDirectorySource;
import io.zarrsync.zarr.store.FileSystemStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A source directory and a store driven through {@link SyncEngine}'s public API, one engine per
 * operation (as separate CLI runs would), single-threaded so tests are deterministic.
 */
public final class Scenario {
  private final Path src;
  private final Path store;
  private final CollectionConfig config;

  public Scenario(Path dir, CollectionConfig config) {
    this.src = dir.resolve("src");
    this.store = dir.resolve("store.zarr");
    this.config = config;
    try {
      Files.createDirectories(src);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path source() {
    return src;
  }

  public Path storeDir() {
    return store;
  }

  /** Writes a fixture file under {@code key} (no event). */
  public Path put(String key, ArgoFixture file) {
    return file.write(src.resolve(key));
  }

  /** Deletes {@code key} from the source (no event). */
  public void delete(String key) {
    try {
      Files.delete(src.resolve(key));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code key} and applies its created event. */
  public SyncReport create(String key, ArgoFixture file) {
    put(key, file);
    return apply(SourceEvent.created(key));
  }

  /** Deletes {@code key} and applies its removed event. */
  public SyncReport remove(String key) {
    delete(key);
    return apply(SourceEvent.removed(key));
  }

  public SyncReport sync() {
    return withEngine(e -> e.sync(ProgressListener.NONE));
  }

  public SyncReport apply(SourceEvent... events) {
    return withEngine(e -> e.apply(List.of(events), ProgressListener.NONE));
  }

  public Map<String, List<String>> missingVariables() {
    return withEngine(SyncEngine::missingVariables);
  }

  public <T> T withEngine(Function<SyncEngine, T> f) {
    try (SyncEngine e =
        SyncEngine.open(
            config,
            new LocalDirectorySource(src),
            new FileSystemStore(store),
            EngineOptions.defaults().withExecutor(Runnable::run, 1))) {
      return f.apply(e);
    }
  }

  public ProfileStore store() {
    return ProfileStore.read(store);
  }
}
