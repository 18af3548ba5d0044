package io.zarrsync.events;

import java.util.List;

/**
 * What one message held.
 *
 * @param events the objects created or removed, in message order
 * @param ignored a human-readable reason for every part of the message that gave no event (the S3
 *     test event, event types that neither create nor remove an object, keys rejected as unsafe);
 *     worth logging, never worth retrying
 */
public record ParsedMessage(List<ObjectEvent> events, List<String> ignored) {
  public ParsedMessage {
    events = List.copyOf(events);
    ignored = List.copyOf(ignored);
  }

  /** True when the message gave neither events nor ignored parts. */
  public boolean isEmpty() {
    return events.isEmpty() && ignored.isEmpty();
  }
}
