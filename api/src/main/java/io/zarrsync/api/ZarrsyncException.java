package io.zarrsync.api;

/**
 * Root of zarrsync's unchecked exceptions. Subclasses say what the user can do: fix a source file
 * ({@link InvalidSourceFileException}), fix a configuration ({@link InvalidConfigException}), or
 * retry ({@link StoreException}).
 */
public class ZarrsyncException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ZarrsyncException(String message) {
    super(message);
  }

  public ZarrsyncException(String message, Throwable cause) {
    super(message, cause);
  }
}
