package io.zarrsync.events;

import io.zarrsync.core.SourceEvent;
import java.util.List;

/**
 * The engine hints made from object events, and why the others were dropped.
 *
 * @param events hints with keys relative to the source prefix, in input order
 * @param dropped a human-readable reason for every event that gave no hint (another bucket, outside
 *     the prefix, an unsafe relative key)
 */
public record MappedEvents(List<SourceEvent> events, List<String> dropped) {
  public MappedEvents {
    events = List.copyOf(events);
    dropped = List.copyOf(dropped);
  }
}
