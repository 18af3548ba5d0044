package io.zarrsync.aws;

import io.zarrsync.api.StoreException;
import io.zarrsync.api.TransientStoreException;
import io.zarrsync.events.EventParser;
import io.zarrsync.events.InvalidEventException;
import io.zarrsync.events.ParsedMessage;
import io.zarrsync.service.Delivery;
import io.zarrsync.service.EventFeed;
import io.zarrsync.service.RoutedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * S3 event notifications from an SQS queue, as a committer feed: one {@link Delivery} per message,
 * whose events are the message's object events (an S3 notification, one wrapped by SNS, or an
 * EventBridge event; see {@link EventParser}) routed to collections by {@link S3Routes}.
 *
 * <ul>
 *   <li>{@link #poll} long-polls (up to {@link SqsFeedSettings#longPoll()}, never beyond the
 *       committer's timeout) and receives up to 10 messages a request, several requests a poll;
 *       received messages stay hidden for {@link SqsFeedSettings#visibility()};
 *   <li>{@link Delivery#ack} deletes the message (the committer calls it only after the commit);
 *       {@link Delivery#release} makes it visible again at once; {@link Delivery#keepAlive} extends
 *       its visibility while its batch is applied;
 *   <li>{@link Delivery#reject} and a message that is not an event notification at all (poison,
 *       {@link InvalidEventException}): with a dead-letter queue, the message body is sent there
 *       with its reason in the message attribute {@value #REASON_ATTRIBUTE}, then deleted here;
 *       without one it is left on the queue (the queue's redrive policy moves it after its
 *       maxReceiveCount) and the reason is logged. Poison is handled at poll time, like a spool
 *       file that cannot be parsed, so the committer never sees it;
 *   <li>messages with no event for any collection (the {@code s3:TestEvent}, event types that
 *       change no content, objects outside every source) are deliveries without events: the
 *       committer acknowledges them, so they do not come back.
 * </ul>
 *
 * <p>Nothing is lost if the process dies: a message is deleted only after its events committed;
 * until then it comes back after the visibility timeout, and the engine makes repeats harmless.
 * Thread-safe (the committer calls keepAlive from a timer thread).
 */
public final class SqsFeed implements EventFeed {
  /** The message attribute that carries a dead-lettered message's reason. */
  public static final String REASON_ATTRIBUTE = "zarrsync-reason";

  /** The message attribute naming the queue a dead-lettered message came from. */
  public static final String QUEUE_ATTRIBUTE = "zarrsync-queue";

  private static final Logger LOG = LoggerFactory.getLogger(SqsFeed.class);
  private static final int MAX_MESSAGES = 10;
  private static final int MAX_REASON_CHARS = 4000;

  private final SqsClient sqs;
  private final boolean ownsClient;
  private final SqsFeedSettings settings;
  private final S3Routes routes;
  private final EventParser parser = new EventParser();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong poisoned = new AtomicLong();

  /** A feed over a client the caller keeps and closes. */
  public SqsFeed(SqsClient sqs, SqsFeedSettings settings, S3Routes routes) {
    this(sqs, false, settings, routes);
  }

  private SqsFeed(SqsClient sqs, boolean ownsClient, SqsFeedSettings settings, S3Routes routes) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.ownsClient = ownsClient;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.routes = Objects.requireNonNull(routes, "routes");
  }

  /**
   * A feed with a client of its own, configured from {@code env} as {@link SqsClients} says; {@link
   * #close()} closes it.
   */
  public static SqsFeed open(SqsFeedSettings settings, S3Routes routes, Map<String, String> env) {
    return new SqsFeed(SqsClients.forQueue(settings.queueUrl(), env), true, settings, routes);
  }

  public SqsFeedSettings settings() {
    return settings;
  }

  /** Messages received so far (a message received again counts again). */
  public long received() {
    return received.get();
  }

  /** Poison messages so far: dead-lettered, or left for the redrive policy. */
  public long poisoned() {
    return poisoned.get();
  }

  @Override
  public List<Delivery> poll(int max, Duration timeout) throws InterruptedException {
    List<Delivery> out = new ArrayList<>();
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    while (out.size() < max) {
      long left = deadline - System.nanoTime();
      int wait =
          out.isEmpty()
              ? (int)
                  Math.min(settings.longPoll().toSeconds(), TimeUnit.NANOSECONDS.toSeconds(left))
              : 0;
      int n = Math.min(MAX_MESSAGES, max - out.size());
      List<Message> messages;
      try {
        messages = receive(n, Math.max(0, wait));
      } catch (TransientStoreException e) {
        LOG.warn("{}: {}; trying again at the next poll", describe(), e.getMessage());
        return out;
      }
      for (Message m : messages) {
        Delivery d = delivery(m);
        if (d != null) {
          out.add(d);
        }
      }
      if (messages.size() < n) {
        // the queue has nothing more right now
        if (!out.isEmpty() || System.nanoTime() >= deadline) {
          break;
        }
        if (wait == 0) {
          long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          Thread.sleep(Math.max(1, Math.min(50, ms)));
        }
      }
    }
    return out;
  }

  private List<Message> receive(int n, int waitSeconds) {
    ReceiveMessageRequest req =
        ReceiveMessageRequest.builder()
            .queueUrl(settings.queueUrl())
            .maxNumberOfMessages(n)
            .waitTimeSeconds(waitSeconds)
            .visibilityTimeout(settings.visibilitySeconds())
            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
            .build();
    List<Message> messages =
        sqs("receive messages", settings.queueUrl(), () -> sqs.receiveMessage(req).messages());
    received.addAndGet(messages.size());
    return messages;
  }

  /** The delivery of a message, or null if it was poison (and is dealt with). */
  private Delivery delivery(Message m) {
    ParsedMessage parsed;
    try {
      parsed = parser.parse(m.body());
    } catch (InvalidEventException e) {
      poison(m, e.getMessage());
      return null;
    }
    String what = describe(m);
    if (!parsed.ignored().isEmpty()) {
      LOG.info("{}: ignored {}", what, String.join("; ", parsed.ignored()));
    }
    S3Routes.Routed routed = routes.route(parsed.events());
    if (!routed.unmatched().isEmpty()) {
      LOG.warn("{}: ignored {}", what, String.join("; ", routed.unmatched()));
    }
    return new MessageDelivery(m, routed.events());
  }

  private void poison(Message m, String reason) {
    poisoned.incrementAndGet();
    String what = describe(m);
    String dlq = settings.deadLetterQueueUrl();
    if (dlq == null) {
      LOG.error(
          "{} (received {} times) is not usable; it stays on the queue until the queue's redrive"
              + " policy moves it to a dead-letter queue (or give --dlq): {}",
          what,
          m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "?"),
          reason);
      return;
    }
    String cut =
        reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) + "..." : reason;
    try {
      // Not idempotent: a send retried after a lost response may leave two copies in the DLQ,
      // which is better than none.
      sqs(
          "send a message",
          dlq,
          () ->
              sqs.sendMessage(
                  b ->
                      b.queueUrl(dlq)
                          .messageBody(m.body())
                          .messageAttributes(
                              Map.of(
                                  REASON_ATTRIBUTE, text(cut),
                                  QUEUE_ATTRIBUTE, text(settings.queueUrl())))));
      sqs(
          "delete a message",
          settings.queueUrl(),
          () ->
              sqs.deleteMessage(
                  b -> b.queueUrl(settings.queueUrl()).receiptHandle(m.receiptHandle())));
      LOG.warn("{} is not usable; moved to the dead-letter queue {}: {}", what, dlq, reason);
    } catch (StoreException e) {
      LOG.error(
          "{} is not usable ({}), and moving it to the dead-letter queue failed: {}; it comes"
              + " back after the visibility timeout",
          what,
          reason,
          e.getMessage());
    }
  }

  private static MessageAttributeValue text(String s) {
    return MessageAttributeValue.builder().dataType("String").stringValue(s).build();
  }

  private <T> T sqs(String what, String queue, Supplier<T> call) {
    return settings
        .retry()
        .callIdempotent(
            what + " on " + queue,
            () -> {
              try {
                return call.get();
              } catch (SdkException e) {
                throw SqsErrors.map(e, what, queue);
              }
            });
  }

  private void changeVisibility(Message m, int seconds, String why) {
    try {
      sqs(
          "change a message's visibility",
          settings.queueUrl(),
          () ->
              sqs.changeMessageVisibility(
                  b ->
                      b.queueUrl(settings.queueUrl())
                          .receiptHandle(m.receiptHandle())
                          .visibilityTimeout(seconds)));
    } catch (StoreException e) {
      LOG.warn("{}: cannot {} ({})", describe(m), why, e.getMessage());
    }
  }

  /**
   * Messages on the queue not yet deleted: visible, in flight (received by a consumer that has not
   * deleted them, such as one that died) and delayed, as SQS approximates them; -1 if the queue
   * cannot be asked.
   */
  @Override
  public long backlog() {
    try {
      GetQueueAttributesResponse r =
          sqs(
              "get queue attributes",
              settings.queueUrl(),
              () ->
                  sqs.getQueueAttributes(
                      b ->
                          b.queueUrl(settings.queueUrl())
                              .attributeNames(
                                  QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                  QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                  QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)));
      long n = 0;
      for (String v : r.attributes().values()) {
        n += Long.parseLong(v);
      }
      return n;
    } catch (StoreException | NumberFormatException e) {
      LOG.debug("{}: no backlog: {}", describe(), e.getMessage());
      return -1;
    }
  }

  @Override
  public String describe() {
    return "sqs " + settings.queueUrl();
  }

  private String describe(Message m) {
    return "SQS message " + m.messageId();
  }

  /** Closes the client if this feed made it. */
  @Override
  public void close() {
    if (ownsClient) {
      sqs.close();
    }
  }

  private final class MessageDelivery implements Delivery {
    private final Message message;
    private final List<RoutedEvent> events;

    MessageDelivery(Message message, List<RoutedEvent> events) {
      this.message = message;
      this.events = List.copyOf(events);
    }

    @Override
    public List<RoutedEvent> events() {
      return events;
    }

    @Override
    public String describe() {
      return SqsFeed.this.describe(message);
    }

    @Override
    public void ack() {
      try {
        sqs(
            "delete a message",
            settings.queueUrl(),
            () ->
                sqs.deleteMessage(
                    b -> b.queueUrl(settings.queueUrl()).receiptHandle(message.receiptHandle())));
      } catch (StoreException e) {
        // Committed already: when it comes back, the engine finds nothing to do.
        LOG.warn(
            "{}: committed, but cannot delete it ({}); it will be received again and change"
                + " nothing",
            describe(),
            e.getMessage());
      }
    }

    @Override
    public void reject(String reason) {
      poison(message, reason);
    }

    @Override
    public void release() {
      changeVisibility(message, 0, "make it visible again");
    }

    @Override
    public void keepAlive() {
      changeVisibility(message, settings.visibilitySeconds(), "extend its visibility");
    }
  }
}
