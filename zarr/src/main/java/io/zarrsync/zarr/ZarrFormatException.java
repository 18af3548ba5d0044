package io.zarrsync.zarr;

import io.zarrsync.api.ZarrsyncException;

/**
 * A store holds Zarr metadata or chunk bytes that zarrsync cannot use: malformed JSON, a damaged
 * chunk, or a Zarr feature it does not support (a codec, a dtype, Fortran order). The message names
 * the store key and the reason. Retrying does not help; the store must be repaired or recreated.
 */
public class ZarrFormatException extends ZarrsyncException {
  private static final long serialVersionUID = 1L;

  public ZarrFormatException(String message) {
    super(message);
  }

  public ZarrFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
