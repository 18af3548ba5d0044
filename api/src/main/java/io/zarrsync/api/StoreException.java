package io.zarrsync.api;

/**
 * Reading or writing the store failed (I/O error, disk full, network). Nothing the user did was
 * wrong; the operation can be retried once the cause is gone.
 */
public class StoreException extends ZarrsyncException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
