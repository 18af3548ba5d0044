package io.zarrsync.core.lease;

import io.zarrsync.api.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive OS file lock on {@code <store>/.zarrsync/writer.lock}, for stores on a local disk.
 * The operating system drops it when its process dies, however it dies, so a writer that gets it
 * knows that no other process on this host is writing the store, and that a lease naming this host
 * belongs to a dead process.
 *
 * <p>File locks are per process; this class also keeps one lock per path inside the JVM, so two
 * engines in one process exclude each other too.
 */
final class LocalLock implements AutoCloseable {
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
  static final String FILE = ".zarrsync/writer.lock";

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private LocalLock(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of the store in {@code root}, without waiting.
   *
   * @return empty if another process (or another engine in this one) holds it
   */
  static Optional<LocalLock> tryLock(Path root) {
    Path path = root.resolve(FILE).toAbsolutePath().normalize();
    if (!HELD.add(path)) {
      return Optional.empty();
    }
    FileChannel channel = null;
    try {
      Files.createDirectories(path.getParent());
      channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        HELD.remove(path);
        return Optional.empty();
      }
      return Optional.of(new LocalLock(path, channel, lock));
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      HELD.remove(path);
      return Optional.empty();
    } catch (IOException e) {
      closeQuietly(channel);
      HELD.remove(path);
      throw new StoreException("cannot lock " + path + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // the lock attempt failed already; this is cleanup
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new StoreException("cannot unlock " + path + ": " + e.getMessage(), e);
    } finally {
      HELD.remove(path);
    }
  }
}
