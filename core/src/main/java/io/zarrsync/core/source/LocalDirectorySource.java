package io.zarrsync.core.source;

import io.zarrsync.api.InvalidSourceFileException;
import io.zarrsync.api.StoreException;
import io.zarrsync.api.ZarrsyncException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A {@link Source} over a local directory tree; regular files are objects, hidden ones too. */
public final class LocalDirectorySource implements Source {
  private final Path root;

  /**
   * @throws ZarrsyncException if {@code root} is not a directory
   */
  public LocalDirectorySource(Path root) {
    this.root = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(this.root)) {
      throw new ZarrsyncException("source " + root + " is not a directory");
    }
  }

  public Path root() {
    return root;
  }

  @Override
  public List<SourceObject> list() {
    List<SourceObject> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.forEach(
          p -> {
            try {
              BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
              if (a.isRegularFile()) {
                out.add(new SourceObject(keyOf(p), fingerprint(a)));
              }
            } catch (NoSuchFileException e) {
              // deleted while listing: it is simply not part of this listing
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (IOException | UncheckedIOException e) {
      throw new StoreException("cannot list source " + root + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(SourceObject::key));
    return out;
  }

  @Override
  public Optional<SourceObject> stat(String key) {
    Path p = resolve(key);
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return a.isRegularFile()
          ? Optional.of(new SourceObject(SourceKeys.normalize(key), fingerprint(a)))
          : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreException("cannot stat " + p + ": " + e.getMessage(), e);
    }
  }

  @Override
  public OpenedObject open(String key) {
    Path p = resolve(key);
    Fingerprint fp;
    try {
      fp = fingerprint(Files.readAttributes(p, BasicFileAttributes.class));
    } catch (IOException e) {
      throw new InvalidSourceFileException(key, "cannot open: " + e.getMessage(), e);
    }
    return new OpenedObject() {
      @Override
      public Path path() {
        return p;
      }

      @Override
      public Fingerprint fingerprint() {
        return fp;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public String describe() {
    return root.toString();
  }

  /**
   * The key of a path given on a command line: a path under the root (absolute or relative to the
   * working directory, if it exists there) or a key relative to the root.
   *
   * @throws ZarrsyncException if the path is outside the root or the key escapes it
   */
  public String keyFor(String pathOrKey) {
    Path p = Path.of(pathOrKey);
    if (p.isAbsolute() || Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      Path abs = p.toAbsolutePath().normalize();
      if (abs.startsWith(root)) {
        return keyOf(abs);
      }
      if (p.isAbsolute()) {
        throw new ZarrsyncException(pathOrKey + " is not under the source root " + root);
      }
    }
    return SourceKeys.normalize(pathOrKey.replace('\\', '/'));
  }

  private String keyOf(Path p) {
    return SourceKeys.normalize(root.relativize(p).toString().replace('\\', '/'));
  }

  private Path resolve(String key) {
    String k = SourceKeys.normalize(key);
    Path p = root.resolve(k).normalize();
    if (!p.startsWith(root)) {
      throw new ZarrsyncException("source key '" + key + "' escapes the source root");
    }
    return p;
  }

  private static Fingerprint fingerprint(BasicFileAttributes a) {
    return new Fingerprint(a.size(), a.lastModifiedTime().toMillis(), "");
  }
}
