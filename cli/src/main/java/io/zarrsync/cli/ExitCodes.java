package io.zarrsync.cli;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.api.InvalidSourceFileException;
import io.zarrsync.api.StoreConflictException;
import io.zarrsync.api.StoreException;

/**
 * Process exit codes. Scripts can tell "fix your input" from "retry later" without parsing text.
 */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** The command ran but found a problem it reports: drift (verify), quarantined files. */
  public static final int PROBLEMS_FOUND = 1;

  /** Wrong command line (picocli's default). */
  public static final int USAGE = 2;

  /** An input file cannot be read or does not fit. */
  public static final int BAD_INPUT = 3;

  /** The collection configuration is wrong. */
  public static final int BAD_CONFIG = 4;

  /** Reading or writing the store failed; retry. */
  public static final int STORE_ERROR = 5;

  /** Another writer holds the store; retry later or hand events to it. */
  public static final int CONFLICT = 6;

  /** Anything else: a bug. Run again with --debug and report it. */
  public static final int INTERNAL = 70;

  private ExitCodes() {}

  static int of(Throwable e) {
    if (e instanceof InvalidSourceFileException) {
      return BAD_INPUT;
    }
    if (e instanceof InvalidConfigException) {
      return BAD_CONFIG;
    }
    if (e instanceof StoreConflictException) {
      return CONFLICT;
    }
    if (e instanceof StoreException) {
      return STORE_ERROR;
    }
    if (e instanceof io.zarrsync.api.ZarrsyncException || e instanceof IllegalArgumentException) {
      return BAD_INPUT;
    }
    return INTERNAL;
  }
}
