package io.zarrsync.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zarrsync.api.StoreException;
import io.zarrsync.api.ZarrsyncException;
import io.zarrsync.core.SourceEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A spool directory: producers drop event files into it, one committer consumes them. A file is
 * deleted only after its events are committed, so nothing is lost if the committer dies; a file
 * that cannot be parsed is moved to {@code rejected/} next to a {@code .reason} file.
 *
 * <p>Producers must make each file appear atomically: write it under a name starting with '.' or
 * ending with {@code .tmp}, then rename it ({@link #write} does this). Files are consumed in name
 * order; {@link #write} names them by time.
 *
 * <p>Two formats are accepted. JSON:
 *
 * <pre>
 * {"events": [{"kind": "created", "key": "2022/0101.nc", "collection": "sst"}], "resync": false}
 * </pre>
 *
 * (collection optional), or lines of text, handy from a shell: {@code created KEY}, {@code removed
 * KEY} (the key is the rest of the line and may contain spaces), {@code sync}; blank lines and
 * lines starting with '#' are skipped. An empty file is rejected (it is most likely being written
 * in place).
 */
public final class Spool implements EventFeed {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong SEQ = new AtomicLong();

  /** Subdirectory for files that cannot be parsed. */
  public static final String REJECTED = "rejected";

  private final Path dir;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicLong parked = new AtomicLong();

  /** A spool in {@code dir}, created if missing. */
  public Spool(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.dir.resolve(REJECTED));
    } catch (IOException e) {
      throw new StoreException("cannot create spool directory " + dir + ": " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  /**
   * Drops {@code events} into the spool {@code dir} as one file, atomically.
   *
   * @return the file written
   */
  public static Path write(Path dir, List<RoutedEvent> events) {
    return write(dir, events, false);
  }

  /** Drops a request for a full reconcile (for a producer that lost track of changes). */
  public static Path writeResync(Path dir) {
    return write(dir, List.of(), true);
  }

  private static Path write(Path dir, List<RoutedEvent> events, boolean resync) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("events");
    for (RoutedEvent e : events) {
      ObjectNode n = list.addObject();
      n.put("kind", e.event().kind().name().toLowerCase(Locale.ROOT));
      n.put("key", e.event().key());
      if (e.collection() != null) {
        n.put("collection", e.collection());
      }
    }
    if (resync) {
      root.put("resync", true);
    }
    String name =
        String.format(
            "%013d-%06d-%s.json",
            System.currentTimeMillis(),
            SEQ.incrementAndGet() % 1_000_000,
            UUID.randomUUID().toString().substring(0, 8));
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve("." + name + ".tmp");
      Files.write(tmp, JSON.writeValueAsBytes(root));
      Path target = dir.resolve(name);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target);
      }
      return target;
    } catch (IOException e) {
      throw new StoreException("cannot write to spool " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<Delivery> poll(int max, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Delivery> out = scan(max);
      if (!out.isEmpty() || System.nanoTime() >= deadline) {
        return out;
      }
      Thread.sleep(Math.max(1, Math.min(50, (deadline - System.nanoTime()) / 1_000_000)));
    }
  }

  /** Files waiting to be taken (files taken and not yet acknowledged or released not counted). */
  @Override
  public long backlog() {
    return ready().stream().filter(n -> !inFlight.contains(n)).count();
  }

  private Set<String> ready() {
    TreeSet<String> names = new TreeSet<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.startsWith(".") && !n.endsWith(".tmp") && Files.isRegularFile(p)) {
          names.add(n);
        }
      }
    } catch (IOException e) {
      throw new StoreException("cannot list spool " + dir + ": " + e.getMessage(), e);
    }
    return names;
  }

  private List<Delivery> scan(int max) {
    List<Delivery> out = new ArrayList<>();
    for (String name : ready()) {
      if (out.size() >= max) {
        break;
      }
      if (!inFlight.add(name)) {
        continue;
      }
      Path file = dir.resolve(name);
      try {
        out.add(new FileDelivery(file, parse(Files.readString(file, StandardCharsets.UTF_8))));
      } catch (NoSuchFileException e) {
        inFlight.remove(name);
      } catch (IOException e) {
        inFlight.remove(name);
        throw new StoreException("cannot read spool file " + file + ": " + e.getMessage(), e);
      } catch (ZarrsyncException e) {
        park(file, e.getMessage());
        inFlight.remove(name);
      }
    }
    return out;
  }

  private record Parsed(List<RoutedEvent> events, boolean resync) {}

  private static Parsed parse(String text) {
    if (text.isEmpty()) {
      // Most likely a producer that writes in place rather than renaming a finished file: keep
      // what it writes next visible in rejected/ rather than deleting it as "no events".
      throw new ZarrsyncException(
          "empty file; producers must write a spool file whole under a name starting with '.'"
              + " or ending in .tmp, then rename it");
    }
    String t = text.strip();
    if (t.startsWith("{")) {
      JsonNode root;
      try {
        root = JSON.readTree(t);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new ZarrsyncException("not valid JSON: " + e.getOriginalMessage(), e);
      }
      JsonNode events = root.path("events");
      if (!events.isArray() && !root.path("resync").asBoolean(false)) {
        throw new ZarrsyncException("JSON without an \"events\" array");
      }
      List<RoutedEvent> out = new ArrayList<>();
      for (JsonNode n : events) {
        String kind = n.path("kind").asText("");
        String key = n.path("key").asText("");
        String coll = n.hasNonNull("collection") ? n.get("collection").asText() : null;
        out.add(new RoutedEvent(coll, event(kind, key)));
      }
      return new Parsed(out, root.path("resync").asBoolean(false));
    }
    List<RoutedEvent> out = new ArrayList<>();
    boolean resync = false;
    int lineNo = 0;
    for (String line : (Iterable<String>) t.lines()::iterator) {
      lineNo++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      if (l.equals("sync")) {
        resync = true;
        continue;
      }
      int sp = l.indexOf(' ');
      if (sp < 0) {
        throw new ZarrsyncException(
            "line " + lineNo + ": expected 'created KEY', 'removed KEY' or 'sync', got: " + l);
      }
      try {
        out.add(RoutedEvent.of(event(l.substring(0, sp), l.substring(sp + 1).strip())));
      } catch (ZarrsyncException e) {
        throw new ZarrsyncException("line " + lineNo + ": " + e.getMessage(), e);
      }
    }
    return new Parsed(out, resync);
  }

  private static SourceEvent event(String kind, String key) {
    if (key.isEmpty()) {
      throw new ZarrsyncException("an event without a key");
    }
    switch (kind.toLowerCase(Locale.ROOT)) {
      case "created":
        return SourceEvent.created(key);
      case "removed":
        return SourceEvent.removed(key);
      default:
        throw new ZarrsyncException(
            "unknown event kind '" + kind + "' (expected created or removed)");
    }
  }

  /** How many files this spool moved to {@code rejected/} since it was opened. */
  public long rejectedFiles() {
    return parked.get();
  }

  private void park(Path file, String reason) {
    Path target = dir.resolve(REJECTED).resolve(file.getFileName());
    try {
      Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
      parked.incrementAndGet();
      Files.writeString(
          dir.resolve(REJECTED).resolve(file.getFileName() + ".reason"),
          reason + System.lineSeparator(),
          StandardCharsets.UTF_8);
      LOG.warn("spool file {} rejected, moved to {}: {}", file.getFileName(), target, reason);
    } catch (IOException e) {
      throw new StoreException("cannot park spool file " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "spool " + dir;
  }

  private final class FileDelivery implements Delivery {
    private final Path file;
    private final Parsed parsed;

    FileDelivery(Path file, Parsed parsed) {
      this.file = file;
      this.parsed = parsed;
    }

    @Override
    public List<RoutedEvent> events() {
      return parsed.events();
    }

    @Override
    public boolean resync() {
      return parsed.resync();
    }

    @Override
    public String describe() {
      return file.toString();
    }

    @Override
    public void ack() {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new StoreException("cannot delete spool file " + file + ": " + e.getMessage(), e);
      } finally {
        inFlight.remove(file.getFileName().toString());
      }
    }

    @Override
    public void reject(String reason) {
      try {
        park(file, reason);
      } finally {
        inFlight.remove(file.getFileName().toString());
      }
    }

    @Override
    public void release() {
      inFlight.remove(file.getFileName().toString());
    }
  }
}
