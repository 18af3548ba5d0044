package io.zarrsync.api;

/**
 * Another writer changed the store first (a conditional create lost the race, or the lease is held
 * elsewhere). Nothing was published by this attempt; retry later or let the holder do the work.
 */
public class StoreConflictException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreConflictException(String message) {
    super(message);
  }
}
