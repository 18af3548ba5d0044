package io.zarrsync.core.plan;

import io.zarrsync.api.ZarrsyncException;

/**
 * A source file changed between planning and writing; the transaction is planned again from the
 * source's current state.
 */
public final class SourceChangedException extends ZarrsyncException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public SourceChangedException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
