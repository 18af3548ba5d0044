package io.zarrsync.events;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Orders events of the same object. Notifications arrive in any order and more than once; S3's
 * {@code sequencer} says which of two events on the same bucket and key happened later. It says
 * nothing about events on different keys.
 */
public final class EventOrder {
  private EventOrder() {}

  /**
   * Compares two sequencers the way AWS documents it: left-pad the shorter with zeros, then compare
   * lexicographically (here case-insensitively, as they are hexadecimal). Only meaningful for two
   * events on the same bucket and key.
   *
   * @throws IllegalArgumentException if either is not hexadecimal
   */
  public static int compareSequencers(String a, String b) {
    if (!ObjectEvent.isHex(a) || !ObjectEvent.isHex(b)) {
      throw new IllegalArgumentException(
          "sequencers must be hexadecimal strings: '" + a + "', '" + b + "'");
    }
    int width = Math.max(a.length(), b.length());
    return pad(a, width).compareTo(pad(b, width));
  }

  private static String pad(String s, int width) {
    return "0".repeat(width - s.length()) + s.toUpperCase(Locale.ROOT);
  }

  /**
   * The last event of every (bucket, key), in the order in which each (bucket, key) first appears
   * in {@code events}. "Last" is the greatest sequencer when every event of that key has one;
   * otherwise the latest {@code eventTime}; ties go to the event that came later in {@code events}
   * (the later delivery). The result is the same for any arrival order of events with distinct
   * sequencers.
   */
  public static List<ObjectEvent> latestPerKey(List<ObjectEvent> events) {
    Map<List<String>, List<Integer>> byKey = new LinkedHashMap<>();
    for (int i = 0; i < events.size(); i++) {
      ObjectEvent e = events.get(i);
      byKey.computeIfAbsent(List.of(e.bucket(), e.key()), k -> new ArrayList<>()).add(i);
    }
    List<ObjectEvent> latest = new ArrayList<>(byKey.size());
    for (List<Integer> positions : byKey.values()) {
      boolean allSequenced = positions.stream().allMatch(i -> events.get(i).hasSequencer());
      Comparator<Integer> order =
          allSequenced
              ? (x, y) -> compareSequencers(events.get(x).sequencer(), events.get(y).sequencer())
              : Comparator.comparing(i -> events.get(i).eventTime());
      int best = positions.stream().max(order.thenComparing(Comparator.naturalOrder())).get();
      latest.add(events.get(best));
    }
    return List.copyOf(latest);
  }
}
