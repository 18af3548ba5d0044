package io.zarrsync.service;

import io.zarrsync.api.StoreException;
import io.zarrsync.core.SourceEvent;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a local source directory (recursively) and turns file changes into event hints, handed to
 * a sink in batches (e.g. written to a committer's spool). Created and modified files become {@code
 * created}, deleted files {@code removed}; several changes of one file within {@code debounce}
 * become one event. When the OS drops events (overflow), or a watched directory is removed or moved
 * away (its files vanish without an event each), the watcher asks for a full reconcile instead, so
 * nothing is missed. A batch the sink fails to take is kept and offered again a little later.
 *
 * <p>Events are hints: a file still being written may be read half-way and quarantined, and its
 * next modification event applies it again.
 */
public final class DirectoryWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);
  private static final long SINK_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Receives batches of events; {@code resync} true means "reconcile everything". */
  @FunctionalInterface
  public interface Sink {
    void accept(List<SourceEvent> events, boolean resync);
  }

  private final Path root;
  private final WatchService watch;
  private final Map<WatchKey, Path> dirs = new HashMap<>();
  private final Sink sink;
  private final Duration debounce;
  private volatile boolean closed;

  /** Starts watching {@code root}; call {@link #run} (blocking) to deliver events. */
  public DirectoryWatcher(Path root, Duration debounce, Sink sink) {
    this.root = root.toAbsolutePath().normalize();
    this.debounce = debounce;
    this.sink = sink;
    try {
      this.watch = FileSystems.getDefault().newWatchService();
      register(this.root, false, new ArrayList<>());
    } catch (IOException e) {
      throw new StoreException("cannot watch " + root + ": " + e.getMessage(), e);
    }
  }

  /** Registers {@code dir} and its subdirectories; with {@code emit}, lists files found. */
  private void register(Path dir, boolean emit, List<SourceEvent> found) throws IOException {
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            WatchKey k =
                d.register(
                    watch,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            dirs.put(k, d);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
            if (emit && attrs.isRegularFile()) {
              found.add(SourceEvent.created(key(f)));
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private String key(Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  /** Delivers events until {@link #close()}. */
  public void run() {
    Map<String, SourceEvent> pending = new LinkedHashMap<>();
    boolean resync = false;
    long flushAt = Long.MAX_VALUE;
    while (!closed) {
      WatchKey k;
      try {
        long wait =
            flushAt == Long.MAX_VALUE
                ? 500
                : Math.max(0, TimeUnit.NANOSECONDS.toMillis(flushAt - System.nanoTime()));
        k = watch.poll(wait, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ClosedWatchServiceException e) {
        return;
      }
      if (k != null) {
        Path dir = dirs.get(k);
        for (WatchEvent<?> ev : k.pollEvents()) {
          if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
            LOG.warn("{}: file events were lost; asking for a full reconcile", root);
            resync = true;
            continue;
          }
          if (dir == null) {
            continue;
          }
          Path p = dir.resolve((Path) ev.context());
          String key = key(p);
          if (ev.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
            if (forget(p)) {
              // A watched directory was removed or moved away: its files may be gone without an
              // event each (a move reports only the directory), so reconcile everything.
              LOG.info("{}: directory {} is gone; asking for a full reconcile", root, key);
              resync = true;
            } else {
              pending.put(key, SourceEvent.removed(key));
            }
          } else if (Files.isDirectory(p)) {
            if (ev.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
              List<SourceEvent> found = new ArrayList<>();
              try {
                register(p, true, found);
              } catch (ClosedWatchServiceException e) {
                return;
              } catch (IOException e) {
                LOG.warn("{}: cannot watch new directory {}: {}", root, p, e.getMessage());
                resync = true;
              }
              found.forEach(f -> pending.put(f.key(), f));
            }
          } else {
            pending.put(key, SourceEvent.created(key));
          }
        }
        if (!k.reset()) {
          dirs.remove(k);
        }
        if (flushAt == Long.MAX_VALUE && (!pending.isEmpty() || resync)) {
          flushAt = System.nanoTime() + debounce.toNanos();
        }
      }
      if (flushAt != Long.MAX_VALUE && System.nanoTime() >= flushAt) {
        try {
          sink.accept(new ArrayList<>(pending.values()), resync);
        } catch (RuntimeException e) {
          LOG.warn(
              "{}: cannot hand over {} event(s){}, trying again in a second: {}",
              root,
              pending.size(),
              resync ? " and a full reconcile" : "",
              e.toString());
          flushAt = System.nanoTime() + Math.max(debounce.toNanos(), SINK_RETRY_NANOS);
          continue;
        }
        pending.clear();
        resync = false;
        flushAt = Long.MAX_VALUE;
      }
    }
  }

  /**
   * Stops watching {@code dir} and the directories under it, if it was watched.
   *
   * @return whether it was a watched directory
   */
  private boolean forget(Path dir) {
    boolean was = false;
    for (var it = dirs.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<WatchKey, Path> e = it.next();
      if (e.getValue().startsWith(dir)) {
        was |= e.getValue().equals(dir);
        e.getKey().cancel();
        it.remove();
      }
    }
    return was;
  }

  @Override
  public void close() {
    closed = true;
    try {
      watch.close();
    } catch (IOException e) {
      LOG.debug("closing the watch service: {}", e.getMessage());
    }
  }
}
