package io.zarrsync.aws.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A day of a source bucket's life, and the notifications it causes: days uploaded, some revised
 * (re-uploaded with other values), one removed, one uploaded and removed again, plus an event for
 * an object outside the source, S3's test event and a message that is no event at all. The messages
 * come back shuffled, some of them twice, as SQS may deliver them.
 */
public final class NotificationScenario {
  /** A message that is not an event notification (a CloudWatch alarm sent to the wrong queue). */
  public static final String GARBAGE =
      "{\"AlarmName\":\"zarrsync-lag\",\"NewStateValue\":\"ALARM\",\"NewStateReason\":\"queue"
          + " depth above 1000\"}";

  /**
   * The messages of a run.
   *
   * @param ordered the notifications in the order S3 sent them (events only)
   * @param delivered what to put on the queue: {@code ordered}, shuffled, with duplicates, the test
   *     event, an event outside the source and {@link #GARBAGE}
   */
  public record Messages(List<String> ordered, List<String> delivered) {}

  private NotificationScenario() {}

  /**
   * Runs the scenario against {@code source} with {@code days} days (at least 6).
   *
   * @param seed shuffles and picks duplicates
   */
  public static Messages run(SourceBucket source, int days, long seed) {
    if (days < 6) {
      throw new IllegalArgumentException("at least 6 days: " + days);
    }
    List<String> ordered = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      ordered.add(source.put(GridDays.key(d), GridDays.bytes(d, 0)));
    }
    ordered.add(source.put(GridDays.key(1), GridDays.bytes(1, 1)));
    ordered.add(source.put(GridDays.key(3), GridDays.bytes(3, 2)));
    ordered.add(source.put(GridDays.key(3), GridDays.bytes(3, 3)));
    ordered.add(source.delete(GridDays.key(4)));
    ordered.add(source.put(GridDays.key(days), GridDays.bytes(days, 0)));
    ordered.add(source.delete(GridDays.key(days)));
    Random random = new Random(seed);
    List<String> delivered = new ArrayList<>(ordered);
    for (int i = 0; i < ordered.size(); i += 3) {
      delivered.add(ordered.get(random.nextInt(ordered.size())));
    }
    delivered.add(S3Notifications.testEvent(source.bucket()));
    delivered.add(
        S3Notifications.created(
            source.bucket(),
            "elsewhere/20220101.nc",
            100,
            "0123456789abcdef0123456789abcdef",
            S3Notifications.sequencer(0),
            Instant.now()));
    delivered.add(GARBAGE);
    Collections.shuffle(delivered, random);
    return new Messages(List.copyOf(ordered), List.copyOf(delivered));
  }
}
