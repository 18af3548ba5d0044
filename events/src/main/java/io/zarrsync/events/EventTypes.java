package io.zarrsync.events;

import io.zarrsync.core.SourceEvent.Kind;
import java.util.List;
import java.util.Set;

/**
 * Which notification types create or remove an object. Everything else is ignored; the types listed
 * as "known" are ignored with a reason saying they do not change the object, the rest as unknown.
 */
final class EventTypes {
  private EventTypes() {}

  /** S3 event notification names (without the {@code s3:} prefix) that mean the object is gone. */
  private static final Set<String> S3_REMOVALS =
      Set.of("LifecycleExpiration:Delete", "LifecycleExpiration:DeleteMarkerCreated");

  /** Prefixes and names of S3 event types that leave the object's content as it was. */
  private static final List<String> S3_OTHER_PREFIXES =
      List.of("ObjectRestore:", "ObjectTagging:", "ObjectAcl:", "Replication:");

  private static final Set<String> S3_OTHER_NAMES =
      Set.of("LifecycleTransition", "IntelligentTiering", "ReducedRedundancyLostObject");

  private static final Set<String> EVENTBRIDGE_OTHER =
      Set.of(
          "Object Restore Initiated",
          "Object Restore Completed",
          "Object Restore Expired",
          "Object Tags Added",
          "Object Tags Deleted",
          "Object ACL Updated",
          "Object Storage Class Changed",
          "Object Access Tier Changed");

  /** The S3 notification name with any {@code s3:} prefix removed. */
  static String s3Name(String eventName) {
    return eventName.startsWith("s3:") ? eventName.substring(3) : eventName;
  }

  /** What an S3 event notification name means, or null when it neither creates nor removes. */
  static Kind s3Kind(String name) {
    if (name.startsWith("ObjectCreated:")) {
      return Kind.CREATED;
    }
    if (name.startsWith("ObjectRemoved:") || S3_REMOVALS.contains(name)) {
      return Kind.REMOVED;
    }
    return null;
  }

  /** True for S3 event types that exist but do not change whether or what the object is. */
  static boolean s3KnownOther(String name) {
    return S3_OTHER_NAMES.contains(name) || S3_OTHER_PREFIXES.stream().anyMatch(name::startsWith);
  }

  /** What an EventBridge detail-type means, or null when it neither creates nor removes. */
  static Kind eventBridgeKind(String detailType) {
    switch (detailType) {
      case "Object Created":
        return Kind.CREATED;
      case "Object Deleted":
        return Kind.REMOVED;
      default:
        return null;
    }
  }

  /** True for EventBridge detail-types that exist but do not change the object's content. */
  static boolean eventBridgeKnownOther(String detailType) {
    return EVENTBRIDGE_OTHER.contains(detailType);
  }
}
