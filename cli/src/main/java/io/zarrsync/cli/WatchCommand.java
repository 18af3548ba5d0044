package io.zarrsync.cli;

import io.zarrsync.core.config.CollectionConfig;
import io.zarrsync.service.DirectoryWatcher;
import io.zarrsync.service.RoutedEvent;
import io.zarrsync.service.Spool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zarrsync watch}: a producer that turns source directory changes into spool events. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Watch a collection's local source directory and drop an event file into a 'zarrsync",
      "serve' spool for every batch of changes (created, modified, removed files). Runs until",
      "stopped. It never writes the store, so any number of watchers can feed one committer."
    })
final class WatchCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "C.yaml",
      description = "The collection config (its 'source' is watched).")
  Path config;

  @Option(
      names = "--source",
      paramLabel = "DIR",
      description = "Source directory (overrides the config's 'source').")
  Path source;

  @Option(
      names = "--spool",
      required = true,
      paramLabel = "DIR",
      description = "The spool directory of the 'zarrsync serve' to feed.")
  Path spool;

  @Option(
      names = "--debounce",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "Gather changes for this long before writing them (default: 500ms).")
  Duration debounce = Duration.ofMillis(500);

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CollectionOptions o = new CollectionOptions();
    o.config = config;
    o.source = source == null ? null : source.toString();
    CollectionConfig c = o.loadConfig();
    Path root = o.sourceRoot(c);
    Path dir = new Spool(spool).dir();
    var out = spec.commandLine().getOut();
    try (DirectoryWatcher w =
        new DirectoryWatcher(
            root,
            debounce,
            (events, resync) -> {
              if (resync) {
                Spool.writeResync(dir);
                out.println("asked for a full reconcile (file events were lost)");
              }
              if (!events.isEmpty()) {
                Path f =
                    Spool.write(
                        dir, events.stream().map(e -> new RoutedEvent(c.name(), e)).toList());
                out.println(events.size() + " event(s) -> " + f.getFileName());
              }
              out.flush();
            })) {
      out.println("watching " + root + " for " + c.name() + ", feeding " + dir);
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(w::close, "zarrsync-watch-stop"));
      w.run();
    }
    return ExitCodes.OK;
  }
}
