package io.zarrsync.events;

import io.zarrsync.api.ZarrsyncException;

/**
 * A message is not an event notification zarrsync understands: it is not JSON, or it is JSON but
 * none of the accepted formats, or a field an event needs is missing or malformed. Retrying cannot
 * help (it is a poison message): dead-letter or quarantine it with {@link #getMessage()}, which
 * names where in the message the problem is and starts with an excerpt of it.
 */
public class InvalidEventException extends ZarrsyncException {
  private static final long serialVersionUID = 1L;

  public InvalidEventException(String message) {
    super(message);
  }

  public InvalidEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
