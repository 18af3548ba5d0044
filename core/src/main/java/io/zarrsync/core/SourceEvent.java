package io.zarrsync.core;

import java.util.Objects;

/**
 * A hint that a source object was created (or overwritten) or removed. The engine treats it as a
 * hint only: it checks the key against the source, so a "created" key that is gone is a removal, a
 * "removed" key that exists is a (re)creation, and a repeated event changes nothing.
 *
 * @param key the object's key relative to the source root
 * @param kind what the producer saw
 */
public record SourceEvent(String key, Kind kind) {
  /** What the producer saw. */
  public enum Kind {
    CREATED,
    REMOVED
  }

  public SourceEvent {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
  }

  public static SourceEvent created(String key) {
    return new SourceEvent(key, Kind.CREATED);
  }

  public static SourceEvent removed(String key) {
    return new SourceEvent(key, Kind.REMOVED);
  }
}
