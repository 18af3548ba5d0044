package io.zarrsync.core.txn;

import io.zarrsync.api.StoreException;
import io.zarrsync.zarr.store.FileSystemStore;
import io.zarrsync.zarr.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Moves staged objects into place and drops staging areas. On a {@link FileSystemStore} a staged
 * object is renamed onto its key (atomic, no second copy of the bytes: the staged file was already
 * written and synced by {@link Store#put}); on other stores it is copied. Either way a move whose
 * staged object is already gone was done by an earlier publish of the same commit, which makes
 * publishing repeatable after a crash.
 */
final class StagedObjects {
  private final Store store;
  private final Path root;

  StagedObjects(Store store) {
    this.store = store;
    this.root = store instanceof FileSystemStore fs ? fs.root() : null;
  }

  /**
   * Puts the staged object {@code staged} under {@code key}.
   *
   * @return false if the staged object was gone (moved by an earlier publish)
   */
  boolean move(String staged, String key) {
    if (root == null) {
      var bytes = store.get(staged);
      if (bytes.isEmpty()) {
        return false;
      }
      store.put(key, bytes.get());
      return true;
    }
    Path from = root.resolve(staged);
    Path to = root.resolve(key);
    try {
      Files.createDirectories(to.getParent());
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (NoSuchFileException e) {
      if (!Files.exists(from)) {
        return false;
      }
      throw new StoreException(store.describe() + ": cannot move " + staged + " to " + key, e);
    } catch (IOException e) {
      throw new StoreException(
          store.describe() + ": cannot move " + staged + " to " + key + ": " + e.getMessage(), e);
    }
  }

  /** Deletes everything under the staging directory {@code prefix} (ending with '/'). */
  void drop(String prefix) {
    for (String key : store.list(prefix)) {
      store.delete(key);
    }
    if (root != null) {
      // renames leave the staging directories empty; nothing lists them, but they are litter
      Path dir = root.resolve(prefix);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.walk(dir)) {
          for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        } catch (IOException e) {
          throw new StoreException(store.describe() + ": cannot remove " + prefix, e);
        }
      }
    }
  }
}
