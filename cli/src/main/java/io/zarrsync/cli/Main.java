package io.zarrsync.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of the {@code zarrsync} command. */
@Command(
    name = "zarrsync",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Keeps Zarr stores in sync with collections of NetCDF files.",
      "",
      "Exit codes: 0 ok, 1 problems found (drift, quarantined files), 2 usage,",
      "3 bad input file, 4 bad configuration, 5 store I/O error, 6 store held by another writer,",
      "70 internal error (run again with --debug and report it)."
    },
    subcommands = {
      SyncCommand.class,
      ApplyCommand.class,
      ServeCommand.class,
      WatchCommand.class,
      StatusCommand.class,
      LogCommand.class,
      VerifyCommand.class,
      QuarantineCommand.class,
      DemoCommand.class,
      InspectCommand.class,
      ConvertCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  @Option(
      names = "--debug",
      description = "Print stack traces and debug logging.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean debug;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log one line per transaction (INFO).",
      scope = CommandLine.ScopeType.INHERIT)
  boolean verbose;

  public static void main(String[] args) {
    System.exit(
        run(
            args,
            new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
            new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
  }

  /** Runs the command line with the given streams and returns the exit code (for tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    Main main = new Main();
    CommandLine cl = new CommandLine(main);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          boolean debug = parseResult.hasMatchedOption("--debug") || main.debug;
          Throwable root = e;
          commandLine.getErr().println("zarrsync: error: " + message(root));
          if (debug) {
            root.printStackTrace(commandLine.getErr());
          } else if (ExitCodes.of(root) == ExitCodes.INTERNAL) {
            commandLine.getErr().println("zarrsync: run again with --debug for the stack trace");
          }
          commandLine.getErr().flush();
          return ExitCodes.of(root);
        });
    return cl.execute(args);
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return m.lines().findFirst().orElse(m);
  }

  /** Version from the jar manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"zarrsync " + (v == null ? "dev" : v)};
    }
  }
}
