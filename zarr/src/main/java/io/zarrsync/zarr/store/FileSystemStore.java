package io.zarrsync.zarr.store;

import io.zarrsync.api.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link Store} in a local directory: key {@code a/b/c} is the file {@code <root>/a/b/c}.
 *
 * <p>Writes never expose a partial file: {@link #put} writes a temp file next to the target, fsyncs
 * it and renames it over the target atomically; {@link #putIfAbsent} hard-links a fully written
 * temp file to the target, which fails if the target exists, so exactly one of several racing
 * writers (threads or processes on one file system) wins. Temp files start with {@value
 * #TEMP_PREFIX}; {@link #list} skips them and keys may not use that prefix. The file system must
 * support hard links (every local POSIX file system and NTFS do).
 *
 * <p>{@link #putIfAbsent} also fsyncs the directory, so a won commit record survives a crash;
 * {@link #put} fsyncs only the file (a lost rename is repaired by rolling the commit forward). A
 * store made with {@code fsyncPuts = false} skips the fsync of {@link #put}: writes stay atomic and
 * survive a crash of the process, but not necessarily a crash of the machine. One-off jobs that can
 * simply be re-run ({@code zarrsync convert}) use that.
 */
public final class FileSystemStore implements Store {
  /** Name prefix of in-flight temp files; no key segment may start with it. */
  public static final String TEMP_PREFIX = ".zarrsync-tmp-";

  // A concurrent delete may prune the parent directory between createDirectories and the temp
  // file's creation; a few retries are enough because pruning only removes empty directories.
  private static final int MAX_ATTEMPTS = 20;

  private final Path root;
  private final boolean fsyncPuts;

  /** A durable store rooted at {@code root}; the directory is created on the first write. */
  public FileSystemStore(Path root) {
    this(root, true);
  }

  /**
   * A store rooted at {@code root}.
   *
   * @param fsyncPuts whether {@link #put} fsyncs each file before renaming it into place
   */
  public FileSystemStore(Path root, boolean fsyncPuts) {
    this.root = root.toAbsolutePath().normalize();
    this.fsyncPuts = fsyncPuts;
  }

  /** The absolute root directory. */
  public Path root() {
    return root;
  }

  @Override
  public Optional<byte[]> get(String key) {
    Path path = resolve(key);
    try {
      return Optional.of(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      if (!Files.isRegularFile(path)) {
        // A directory, or a parent that is a file: no object has this key.
        return Optional.empty();
      }
      throw failure("read", key, e);
    }
  }

  @Override
  public void put(String key, byte[] value) {
    Path target = resolve(key);
    for (int attempt = 1; ; attempt++) {
      Path temp = null;
      try {
        createDirectories(target.getParent());
        temp = writeTemp(target.getParent(), value, fsyncPuts);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (NoSuchFileException e) {
        deleteQuietly(temp);
        if (attempt >= MAX_ATTEMPTS) {
          throw failure("write", key, e);
        }
      } catch (IOException e) {
        deleteQuietly(temp);
        throw failure("write", key, e);
      }
    }
  }

  @Override
  public boolean putIfAbsent(String key, byte[] value) {
    Path target = resolve(key);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    for (int attempt = 1; ; attempt++) {
      Path temp;
      try {
        createDirectories(target.getParent());
        temp = writeTemp(target.getParent(), value, true);
      } catch (NoSuchFileException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw failure("create", key, e);
        }
        continue;
      } catch (IOException e) {
        throw failure("create", key, e);
      }
      try {
        Files.createLink(target, temp);
        fsyncDirectory(target.getParent());
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (IOException e) {
        throw failure("create", key, e);
      } catch (UnsupportedOperationException e) {
        throw new StoreException(
            "cannot create "
                + key
                + " in "
                + root
                + ": the file system does not support hard links, which putIfAbsent needs",
            e);
      } finally {
        deleteQuietly(temp);
      }
    }
  }

  @Override
  public void delete(String key) {
    Path target = resolve(key);
    try {
      if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)
          || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      Files.deleteIfExists(target);
    } catch (IOException e) {
      throw failure("delete", key, e);
    }
    pruneEmptyParents(target.getParent());
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(resolve(key));
  }

  @Override
  public List<String> list(String prefix) {
    StoreKeys.validatePrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : resolve(prefix.substring(0, slash));
    List<String> keys = new ArrayList<>();
    if (!Files.isDirectory(start)) {
      return keys;
    }
    try {
      Files.walkFileTree(
          start,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (dir.equals(start)) {
                return FileVisitResult.CONTINUE;
              }
              String dirKey = keyOf(dir) + "/";
              // Only descend where keys can still start with the prefix.
              return dirKey.startsWith(prefix) || prefix.startsWith(dirKey)
                  ? FileVisitResult.CONTINUE
                  : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (isObject(file, attrs)) {
                String key = keyOf(file);
                if (key.startsWith(prefix)) {
                  keys.add(key);
                }
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE; // deleted while we walked
              }
              throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              if (e != null && !(e instanceof NoSuchFileException)) {
                throw e;
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new StoreException("cannot list '" + prefix + "' in " + root + ": " + e, e);
    }
    Collections.sort(keys);
    return keys;
  }

  @Override
  public List<String> listChildren(String dir) {
    StoreKeys.validateDirectory(dir);
    Path path = dir.isEmpty() ? root : resolve(dir.substring(0, dir.length() - 1));
    List<String> children = new ArrayList<>();
    if (!Files.isDirectory(path)) {
      return children;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
      for (Path entry : stream) {
        String name = entry.getFileName().toString();
        if (!isValidName(name)) {
          continue;
        }
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(entry, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
          continue;
        }
        if (attrs.isDirectory()) {
          if (hasEntries(entry)) {
            children.add(dir + name + "/");
          }
        } else if (attrs.isRegularFile()) {
          children.add(dir + name);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new StoreException("cannot list '" + dir + "' in " + root + ": " + e, e);
    }
    Collections.sort(children);
    return children;
  }

  @Override
  public String describe() {
    return root.toString();
  }

  @Override
  public Optional<Path> localDirectory() {
    return Optional.of(root);
  }

  @Override
  public String toString() {
    return "FileSystemStore[" + root + "]";
  }

  private Path resolve(String key) {
    StoreKeys.validate(key);
    Path path = root;
    for (String segment : key.split("/", -1)) {
      if (segment.startsWith(TEMP_PREFIX)) {
        throw new IllegalArgumentException(
            "store key must not use the reserved temp prefix " + TEMP_PREFIX + ": '" + key + "'");
      }
      path = path.resolve(segment);
    }
    // Defence in depth: a segment the platform reads as absolute or as a drive must not escape.
    if (!path.normalize().startsWith(root) || path.equals(root)) {
      throw new IllegalArgumentException("store key escapes the store root: '" + key + "'");
    }
    return path;
  }

  private String keyOf(Path path) {
    Path rel = root.relativize(path);
    StringBuilder sb = new StringBuilder();
    for (Path name : rel) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(name);
    }
    return sb.toString();
  }

  private static boolean isObject(Path file, BasicFileAttributes attrs) {
    if (!isValidName(file.getFileName().toString())) {
      return false;
    }
    return attrs.isRegularFile() || (attrs.isSymbolicLink() && Files.isRegularFile(file));
  }

  /** False for temp files and for names no key can have (so listed keys can always be read). */
  private static boolean isValidName(String name) {
    return !name.startsWith(TEMP_PREFIX) && name.indexOf('\\') < 0;
  }

  private static boolean hasEntries(Path dir) throws IOException {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path entry : stream) {
        if (isValidName(entry.getFileName().toString())) {
          return true;
        }
      }
      return false;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** Files.createDirectories, retried when a concurrent delete prunes a directory under it. */
  private static void createDirectories(Path dir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        Files.createDirectories(dir);
        return;
      } catch (FileAlreadyExistsException | NoSuchFileException e) {
        if (blockedByFile(dir) || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** True if the nearest existing ancestor of {@code dir} (or dir itself) is not a directory. */
  private static boolean blockedByFile(Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      try {
        return !Files.readAttributes(p, BasicFileAttributes.class).isDirectory();
      } catch (IOException e) {
        // gone (or unreadable): look further up
      }
    }
    return false;
  }

  private static Path writeTemp(Path dir, byte[] value, boolean fsync) throws IOException {
    Path temp =
        dir.resolve(
            TEMP_PREFIX + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
    try (FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(value);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      if (fsync) {
        channel.force(true);
      }
    } catch (IOException e) {
      deleteQuietly(temp);
      throw e;
    }
    return temp;
  }

  private static void fsyncDirectory(Path dir) {
    // Not every platform can open a directory (Windows cannot); durability is then best effort.
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // best effort
    }
  }

  private void pruneEmptyParents(Path dir) {
    Path current = dir;
    while (current != null && current.startsWith(root) && !current.equals(root)) {
      try {
        Files.delete(current);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return;
      } catch (IOException e) {
        return; // best effort: an empty directory left behind is harmless
      }
      current = current.getParent();
    }
  }

  private static void deleteQuietly(Path temp) {
    if (temp == null) {
      return;
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // a leftover temp file is invisible to list and harmless
    }
  }

  private StoreException failure(String action, String key, IOException e) {
    return new StoreException("cannot " + action + " " + key + " in " + root + ": " + e, e);
  }
}
