package io.zarrsync.service;

import io.zarrsync.core.SourceEvent;
import java.util.Objects;

/**
 * An event hint on its way to a committer.
 *
 * @param collection the collection it is for, or null to route it by each collection's {@code
 *     match} regex
 * @param event the key (relative to the collection's source root) and what the producer saw
 */
public record RoutedEvent(String collection, SourceEvent event) {
  public RoutedEvent {
    Objects.requireNonNull(event, "event");
  }

  public static RoutedEvent of(SourceEvent e) {
    return new RoutedEvent(null, e);
  }
}
