package io.zarrsync.core.config;

/** What to do with a file carrying record variables the config does not list. */
public enum UnknownVariables {
  /** Store only the configured variables (the default). */
  IGNORE,
  /** Quarantine the file: its schema drifted and a human should decide. */
  REJECT
}
