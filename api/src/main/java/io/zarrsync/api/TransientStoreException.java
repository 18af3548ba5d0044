package io.zarrsync.api;

/**
 * A store operation failed before it changed anything (throttling, a refused connection, a 503
 * returned before the request was processed): the same operation can simply be retried. {@link
 * Retry} does so with backoff.
 */
public class TransientStoreException extends StoreException {
  private static final long serialVersionUID = 1L;

  public TransientStoreException(String message) {
    super(message);
  }

  public TransientStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
