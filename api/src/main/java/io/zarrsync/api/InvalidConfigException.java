package io.zarrsync.api;

/** A configuration value is wrong. The message names the file, the key and what is allowed. */
public class InvalidConfigException extends ZarrsyncException {
  private static final long serialVersionUID = 1L;

  public InvalidConfigException(String message) {
    super(message);
  }

  public InvalidConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
