package io.zarrsync.events;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.core.SourceEvent;
import java.util.ArrayList;
import java.util.List;

/** Turns object events into {@link SourceEvent} hints for one source (a bucket and a prefix). */
public final class SourceEventMapper {
  private SourceEventMapper() {}

  /**
   * Maps the events of {@code bucket} below {@code prefix} to hints whose keys are relative to the
   * prefix. The prefix is a folder: {@code data/argo} and {@code data/argo/} both mean keys that
   * start with {@code data/argo/}; an empty or null prefix means the whole bucket. Events for other
   * buckets, outside the prefix, or whose relative key is unsafe (see docs/events.md) are dropped
   * with a reason.
   *
   * @throws InvalidConfigException if the prefix starts with '/' or has '.', '..' or empty segments
   */
  public static MappedEvents toSourceEvents(
      List<ObjectEvent> events, String bucket, String prefix) {
    String folder = folder(prefix);
    List<SourceEvent> hints = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (ObjectEvent e : events) {
      String what = e.eventName() + " of " + KeySafety.quote(e.key());
      if (!e.bucket().equals(bucket)) {
        dropped.add(what + ": bucket " + e.bucket() + " is not the source bucket " + bucket);
        continue;
      }
      if (!e.key().startsWith(folder)) {
        dropped.add(what + ": outside the source prefix " + KeySafety.quote(folder));
        continue;
      }
      String relative = e.key().substring(folder.length());
      String problem = KeySafety.problem(relative);
      if (problem != null) {
        dropped.add(what + ": unsafe key " + KeySafety.quote(relative) + ": " + problem);
        continue;
      }
      hints.add(new SourceEvent(relative, e.kind()));
    }
    return new MappedEvents(hints, dropped);
  }

  private static String folder(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      return "";
    }
    String folder = prefix.endsWith("/") ? prefix : prefix + "/";
    String problem = KeySafety.problem(folder.substring(0, folder.length() - 1));
    if (problem != null) {
      throw new InvalidConfigException(
          "source prefix "
              + KeySafety.quote(prefix)
              + " cannot be used because "
              + problem
              + "; give the prefix as a/b or a/b/ (no leading '/')");
    }
    return folder;
  }
}
