package io.zarrsync.api;

/**
 * A store write may or may not have taken effect (the connection dropped or timed out after the
 * request was sent). The caller must check the store before it retries a conditional write or
 * cleans up after it: a commit record whose create "failed" this way may exist. {@link
 * Retry#callChecked} does the check.
 */
public class UnknownOutcomeException extends StoreException {
  private static final long serialVersionUID = 1L;

  public UnknownOutcomeException(String message) {
    super(message);
  }

  public UnknownOutcomeException(String message, Throwable cause) {
    super(message, cause);
  }
}
