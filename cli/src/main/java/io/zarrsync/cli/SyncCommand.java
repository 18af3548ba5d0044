package io.zarrsync.cli;

import io.zarrsync.core.SyncEngine;
import io.zarrsync.core.SyncReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zarrsync sync}: reconcile a store with its source listing. */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "Reconcile the store with the current listing of the source: new and changed files are",
      "applied, files gone from the source are removed. Running it again with nothing changed",
      "creates no commit. Exit code 1 when files were quarantined."
    })
final class SyncCommand implements Callable<Integer> {
  @Mixin CollectionOptions collection;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    SyncReport report;
    try (SyncEngine engine = collection.open("sync");
        EngineProgress progress = new EngineProgress(!json)) {
      report = engine.sync(progress);
    } finally {
      collection.shutdown();
    }
    return Output.report(spec, report, json);
  }
}
