package io.zarrsync.cli;

import io.zarrsync.api.LeaseHeldException;
import io.zarrsync.core.SourceEvent;
import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.SyncReport;
import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.core.lease.StoreLease;
import io.zarrsync.service.RoutedEvent;
import io.zarrsync.service.Spool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code zarrsync apply}: apply created/removed event hints. */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = {
      "Apply bucket-style events. Each event is a hint checked against the source: a 'created'",
      "key that is gone is treated as removed, a 'removed' key that still exists as created, and",
      "a repeated event changes nothing. KEY is relative to the source root; a path to a file",
      "under the source root is accepted too. Exit code 1 when files were quarantined."
    })
final class ApplyCommand implements Callable<Integer> {
  @Mixin CollectionOptions collection;

  @Option(
      names = "--created",
      arity = "1..*",
      paramLabel = "KEY",
      description = "Keys reported as created or overwritten.")
  List<String> created = new ArrayList<>();

  @Option(
      names = "--removed",
      arity = "1..*",
      paramLabel = "KEY",
      description = "Keys reported as removed.")
  List<String> removed = new ArrayList<>();

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Option(
      names = "--no-handoff",
      description = {
        "When a 'zarrsync serve' holds the store, exit with code 6 instead of handing the",
        "events to it through its spool directory."
      })
  boolean noHandoff;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (created.isEmpty() && removed.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "give --created KEY... or --removed KEY...");
    }
    CollectionConfig config = collection.loadConfig();
    // keys of an S3 source are taken as given; local paths are turned into keys
    Path root = collection.s3Source(config) ? null : collection.sourceRoot(config);
    List<SourceEvent> events = new ArrayList<>();
    for (String k : created) {
      events.add(SourceEvent.created(toKey(root, k)));
    }
    for (String k : removed) {
      events.add(SourceEvent.removed(toKey(root, k)));
    }
    SyncReport report;
    try (SyncEngine engine = collection.open("apply");
        EngineProgress progress = new EngineProgress(!json)) {
      report = engine.apply(events, progress);
    } catch (LeaseHeldException held) {
      Optional<Path> spool = noHandoff ? Optional.empty() : spoolOf(config);
      if (spool.isEmpty()) {
        throw held;
      }
      Path file = Spool.write(spool.get(), events.stream().map(RoutedEvent::of).toList());
      return handedOff(held, spool.get(), file, events.size());
    } finally {
      collection.shutdown();
    }
    return Output.report(spec, report, json);
  }

  /** The spool directory of the store's current holder, if it has one on this machine. */
  private Optional<Path> spoolOf(CollectionConfig config) {
    return StoreLease.current(collection.openStore(config), io.zarrsync.api.Retry.defaults())
        .filter(r -> !r.released() && r.spool() != null && StoreLease.hostName().equals(r.host()))
        .map(r -> Paths.get(r.spool()))
        .filter(Files::isDirectory);
  }

  private int handedOff(LeaseHeldException held, Path spool, Path file, int n) {
    var out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("handedOff", true);
      m.put("holder", held.holder());
      m.put("spool", spool.toString());
      m.put("file", file.toString());
      m.put("events", n);
      out.println(Json.write(m));
    } else {
      out.println(
          "handed "
              + n
              + " event(s) to "
              + held.holder()
              + ", which holds the store, through its spool "
              + file);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * A key as given, or the key of a path under the source root (absolute, or relative to the
   * working directory when such a file exists there); {@code root} null (an S3 source): as given.
   */
  static String toKey(Path root, String given) {
    if (root == null) {
      return given;
    }
    Path p = Paths.get(given);
    Path abs = p.isAbsolute() ? p : (Files.exists(p) ? p.toAbsolutePath() : null);
    if (abs != null) {
      Path norm = abs.normalize();
      if (norm.startsWith(root)) {
        return root.relativize(norm).toString().replace('\\', '/');
      }
      if (p.isAbsolute()) {
        throw new IllegalArgumentException(given + " is not under the source root " + root);
      }
    }
    return given;
  }
}
