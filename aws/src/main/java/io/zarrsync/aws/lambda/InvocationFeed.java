package io.zarrsync.aws.lambda;

import io.zarrsync.service.Delivery;
import io.zarrsync.service.EventFeed;
import io.zarrsync.service.RoutedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of one invocation as a committer feed: each record is handed out once, and remembers
 * what the committer did with it. Lambda's event source mapping deletes or redelivers the messages,
 * so acknowledging here only records the outcome.
 */
final class InvocationFeed implements EventFeed {
  private final List<RecordDelivery> pending;
  private int next;

  InvocationFeed(List<RecordDelivery> records) {
    this.pending = List.copyOf(records);
  }

  @Override
  public synchronized List<Delivery> poll(int max, Duration timeout) {
    List<Delivery> out = new ArrayList<>();
    while (next < pending.size() && out.size() < max) {
      out.add(pending.get(next++));
    }
    return out;
  }

  @Override
  public synchronized long backlog() {
    return (long) pending.size() - next;
  }

  @Override
  public String describe() {
    return "lambda invocation";
  }

  /** What happened to a record. */
  enum Outcome {
    PENDING,
    ACKED,
    RELEASED,
    REJECTED
  }

  /** One record (an SQS message, or a whole direct event) and its outcome. */
  static final class RecordDelivery implements Delivery {
    private final String id;
    private final List<RoutedEvent> events;
    private Outcome outcome = Outcome.PENDING;
    private String reason;

    RecordDelivery(String id, List<RoutedEvent> events) {
      this.id = id;
      this.events = List.copyOf(events);
    }

    String id() {
      return id;
    }

    synchronized Outcome outcome() {
      return outcome;
    }

    synchronized String reason() {
      return reason;
    }

    @Override
    public List<RoutedEvent> events() {
      return events;
    }

    @Override
    public String describe() {
      return "record " + id;
    }

    @Override
    public synchronized void ack() {
      outcome = Outcome.ACKED;
    }

    @Override
    public synchronized void reject(String why) {
      outcome = Outcome.REJECTED;
      reason = why;
    }

    @Override
    public synchronized void release() {
      outcome = Outcome.RELEASED;
    }
  }
}
