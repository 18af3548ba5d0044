package io.zarrsync.aws;

import io.zarrsync.api.InvalidConfigException;
import io.zarrsync.core.SourceEvent;
import io.zarrsync.events.EventOrder;
import io.zarrsync.events.MappedEvents;
import io.zarrsync.events.ObjectEvent;
import io.zarrsync.events.SourceEventMapper;
import io.zarrsync.s3.S3Location;
import io.zarrsync.service.RoutedEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sends object events to the collections whose S3 source holds the object: an event for {@code
 * s3://bucket/prefix/a/b.nc} becomes, for a collection whose source is {@code s3://bucket/prefix},
 * the hint {@code a/b.nc} addressed to that collection by name. Events of other buckets or outside
 * every source prefix are reported as unmatched, never applied. Keys arrive decoded and checked by
 * the events module; {@link SourceEventMapper} checks the relative key again (no {@code ..}, {@code
 * .} or empty segment, no leading '/'), and the committer checks it a third time.
 *
 * <p>Immutable and thread-safe.
 */
public final class S3Routes {
  private final List<Route> routes;

  private record Route(String collection, String bucket, String prefix) {}

  /**
   * What a message's events became.
   *
   * @param events one hint per collection whose source holds the object, with the key relative to
   *     that source
   * @param unmatched why each event that reached no collection was dropped, for logs
   */
  public record Routed(List<RoutedEvent> events, List<String> unmatched) {
    public Routed {
      events = List.copyOf(events);
      unmatched = List.copyOf(unmatched);
    }
  }

  private S3Routes(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  /**
   * Routes for the given collections.
   *
   * @param sources collection name to its source, {@code s3://bucket} or {@code s3://bucket/prefix}
   * @throws InvalidConfigException if a source is not a valid S3 location
   */
  public static S3Routes of(Map<String, String> sources) {
    List<Route> routes = new ArrayList<>();
    for (Map.Entry<String, String> e : new LinkedHashMap<>(sources).entrySet()) {
      Objects.requireNonNull(e.getKey(), "collection");
      S3Location l = S3Location.parse(e.getValue());
      routes.add(new Route(e.getKey(), l.bucket(), l.prefix()));
    }
    return new S3Routes(routes);
  }

  /** True if no collection has an S3 source. */
  public boolean isEmpty() {
    return routes.isEmpty();
  }

  /**
   * Routes the events of one message. Several events of one object keep only the last (by S3's
   * sequencer, see {@link EventOrder#latestPerKey}); the engine checks every hint against the
   * bucket anyway, so this only saves work.
   */
  public Routed route(List<ObjectEvent> events) {
    List<RoutedEvent> out = new ArrayList<>();
    List<String> unmatched = new ArrayList<>();
    for (ObjectEvent e : EventOrder.latestPerKey(events)) {
      List<String> reasons = new ArrayList<>();
      boolean any = false;
      for (Route r : routes) {
        MappedEvents m = SourceEventMapper.toSourceEvents(List.of(e), r.bucket(), r.prefix());
        for (SourceEvent se : m.events()) {
          out.add(new RoutedEvent(r.collection(), se));
          any = true;
        }
        for (String why : m.dropped()) {
          reasons.add(r.collection() + ": " + why);
        }
      }
      if (!any) {
        unmatched.add(
            "s3://"
                + e.bucket()
                + "/"
                + e.key()
                + " ("
                + e.eventName()
                + ") is in no collection's source"
                + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons)));
      }
    }
    return new Routed(out, unmatched);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("S3Routes[");
    for (int i = 0; i < routes.size(); i++) {
      Route r = routes.get(i);
      sb.append(i == 0 ? "" : ", ")
          .append(r.collection())
          .append(" <- s3://")
          .append(r.bucket())
          .append('/')
          .append(r.prefix());
    }
    return sb.append(']').toString();
  }
}
