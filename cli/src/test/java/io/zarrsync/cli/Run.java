package io.zarrsync.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One in-process run of the command line ({@link Main#run}): its exit code and what it printed.
 *
 * @param code the exit code
 * @param out standard output
 * @param err standard error
 */
record Run(int code, String out, String err) {
  /** Runs {@code zarrsync args...} in this JVM, capturing both streams. */
  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }
}
