package io.zarrsync.events;

import io.zarrsync.core.SourceEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One object created or removed in a bucket, as a notification reported it.
 *
 * @param bucket the bucket name
 * @param key the object key, decoded (the key S3 stores, not the URL-encoded form of the message)
 * @param kind {@link SourceEvent.Kind#CREATED} or {@link SourceEvent.Kind#REMOVED}
 * @param sequencer S3's hexadecimal sequencer, only comparable with other sequencers of the same
 *     bucket and key (see {@link EventOrder}); null when the message had none
 * @param eventTime when S3 says the event happened
 * @param size the object size in bytes, or -1 when the message does not say (removals)
 * @param etag the object's ETag, or null when the message does not say
 * @param eventName the event type as the message named it, e.g. {@code ObjectCreated:Put} or {@code
 *     Object Deleted (DeleteObject, Delete Marker Created)} for EventBridge
 */
public record ObjectEvent(
    String bucket,
    String key,
    SourceEvent.Kind kind,
    String sequencer,
    Instant eventTime,
    long size,
    String etag,
    String eventName) {

  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]+");

  public ObjectEvent {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(eventName, "eventName");
    if (sequencer != null && !HEX.matcher(sequencer).matches()) {
      throw new IllegalArgumentException("sequencer is not hexadecimal: " + sequencer);
    }
    if (size < -1) {
      throw new IllegalArgumentException("size must be -1 (unknown) or >= 0: " + size);
    }
  }

  /** True when the message carried a sequencer. */
  public boolean hasSequencer() {
    return sequencer != null;
  }

  static boolean isHex(String s) {
    return s != null && HEX.matcher(s).matches();
  }
}
