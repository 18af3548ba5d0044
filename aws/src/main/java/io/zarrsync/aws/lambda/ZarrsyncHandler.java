package io.zarrsync.aws.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zarrsync.api.ZarrsyncException;
import io.zarrsync.aws.S3Routes;
import io.zarrsync.aws.lambda.InvocationFeed.Outcome;
import io.zarrsync.aws.lambda.InvocationFeed.RecordDelivery;
import io.zarrsync.events.EventParser;
import io.zarrsync.events.InvalidEventException;
import io.zarrsync.events.ParsedMessage;
import io.zarrsync.service.Committer;
import io.zarrsync.service.CommitterSettings;
import io.zarrsync.service.CommitterStats;
import io.zarrsync.service.EventFeed;
import io.zarrsync.service.RoutedEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS Lambda entry point ({@code io.zarrsync.aws.lambda.ZarrsyncHandler::handleRequest}):
 * commits the object events it is invoked with to the collections' S3 stores.
 *
 * <ul>
 *   <li><b>SQS event source</b> ({@code {"Records":[{"eventSource":"aws:sqs","messageId":...,
 *       "body":...}]}}, each body an S3 notification, SNS-wrapped or not, or an EventBridge event):
 *       answers a partial batch response, {@code {"batchItemFailures":[{"itemIdentifier":
 *       "<messageId>"}]}}, listing the messages whose events could not be committed (they come back
 *       after the queue's visibility timeout) and the poison messages (logged with their reason;
 *       the queue's redrive policy moves them to its dead-letter queue). Configure the event source
 *       mapping with {@code FunctionResponseTypes: [ReportBatchItemFailures]}.
 *   <li><b>Direct invocation</b> by an S3 event notification (or SNS, or EventBridge): any failure
 *       throws, so that Lambda retries the (asynchronous) invocation.
 * </ul>
 *
 * <p>Configuration comes from the environment ({@link LambdaSettings#fromEnvironment()}): {@code
 * ZARRSYNC_CONFIG}, {@code ZARRSYNC_LEASE_WAIT}, and the S3 settings ({@code AWS_REGION}, the
 * function's role, {@code AWS_ENDPOINT_URL}). The engines are opened at the first invocation and
 * reused while the container stays warm. Each invocation runs the service {@link Committer} over
 * its records (one transaction per store for the whole batch, as far as the engine's batch size
 * allows) and releases every store's lease at its end, so that a backfill {@code zarrsync sync} or
 * the next container need not wait for this one to be reclaimed. Run the function with reserved
 * concurrency 1 per store (see docs/deploy-aws.md).
 */
public final class ZarrsyncHandler implements RequestStreamHandler, AutoCloseable {
  static {
    // Lambda loads this class first: point logback at our configuration before any logger exists,
    // unless the deployment chose another one.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "zarrsync-lambda-logback.xml");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(ZarrsyncHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One batch for everything the invocation holds (Lambda hands at most 10,000 records), gathered
   * without waiting; the engine still splits it into transactions of its batch size.
   */
  private static final CommitterSettings COMMITTER =
      CommitterSettings.defaults()
          .withBatchSize(1_000_000)
          .withWindow(Duration.ZERO)
          .withIdlePoll(Duration.ZERO)
          .withKeepAliveEvery(Duration.ofMinutes(1));

  private final Supplier<LambdaSettings> settings;
  private final Clock clock;
  private final EventParser parser = new EventParser();
  private StoreEngines engines;

  /** The handler Lambda instantiates: settings from the environment at the first invocation. */
  public ZarrsyncHandler() {
    this(LambdaSettings::fromEnvironment, Clock.systemUTC());
  }

  /** A handler with explicit settings, for tests and custom runtimes. */
  public ZarrsyncHandler(LambdaSettings settings) {
    this(() -> settings, Clock.systemUTC());
  }

  private ZarrsyncHandler(Supplier<LambdaSettings> settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    String text = new String(input.readAllBytes(), StandardCharsets.UTF_8);
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (IOException e) {
      throw new InvalidEventException(
          "the invocation event is not JSON: " + e.getMessage() + "; nothing was applied", e);
    }
    StoreEngines e = engines(context);
    Map<String, Object> response;
    try {
      response = isSqsBatch(root) ? sqsBatch(root, e) : direct(text, e, context);
    } finally {
      e.releaseLeases();
    }
    output.write(JSON.writeValueAsBytes(response));
    output.flush();
  }

  private StoreEngines engines(Context context) {
    if (engines == null) {
      String function =
          context != null && context.getFunctionName() != null
              ? context.getFunctionName()
              : System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "local");
      engines = StoreEngines.load(settings.get(), "zarrsync lambda " + function);
    }
    engines.open();
    return engines;
  }

  private static boolean isSqsBatch(JsonNode root) {
    JsonNode records = root.path("Records");
    if (!records.isArray()) {
      return false;
    }
    boolean sqs = false;
    for (JsonNode r : records) {
      sqs |= "aws:sqs".equals(r.path("eventSource").asText(null));
    }
    return sqs || (records.isEmpty() && root.size() == 1);
  }

  /** An SQS batch: the partial batch response. */
  private Map<String, Object> sqsBatch(JsonNode root, StoreEngines e) {
    long started = System.nanoTime();
    Set<String> failed = new LinkedHashSet<>();
    List<String> order = new ArrayList<>();
    List<RecordDelivery> deliveries = new ArrayList<>();
    int poison = 0;
    for (JsonNode r : root.get("Records")) {
      String id = r.path("messageId").asText(null);
      if (id == null || id.isEmpty() || !"aws:sqs".equals(r.path("eventSource").asText(null))) {
        throw new InvalidEventException(
            "an SQS batch holds a record that is not an SQS message with a messageId ("
                + r.path("eventSource").asText("no eventSource")
                + "); nothing was applied");
      }
      order.add(id);
      ParsedMessage parsed;
      try {
        parsed = parser.parse(r.path("body").asText(""));
      } catch (InvalidEventException ex) {
        LOG.error(
            "SQS message {} is not usable; reported failed so that the queue's redrive policy"
                + " moves it to its dead-letter queue: {}",
            id,
            ex.getMessage());
        failed.add(id);
        poison++;
        continue;
      }
      deliveries.add(new RecordDelivery(id, routed("SQS message " + id, parsed, e.routes())));
    }
    Map<String, String> unavailable = e.unavailable();
    List<RecordDelivery> ready = new ArrayList<>();
    for (RecordDelivery d : deliveries) {
      String down = unavailableCollection(d, unavailable);
      if (down == null) {
        ready.add(d);
      } else {
        d.release();
        LOG.warn("SQS message {} waits for collection {}: {}", d.id(), down, unavailable.get(down));
      }
    }
    CommitterStats stats = commit(ready, e);
    for (RecordDelivery d : deliveries) {
      if (d.outcome() == Outcome.REJECTED) {
        LOG.error(
            "SQS message {} cannot be applied; reported failed so that the queue's redrive policy"
                + " moves it to its dead-letter queue: {}",
            d.id(),
            d.reason());
        poison++;
      }
      if (d.outcome() != Outcome.ACKED) {
        failed.add(d.id());
      }
    }
    List<Map<String, String>> failures = new ArrayList<>();
    for (String id : order) {
      if (failed.remove(id)) {
        failures.add(Map.of("itemIdentifier", id));
      }
    }
    LOG.info(
        "{} messages: {} committed, {} failed ({} unusable), {} commits, {} ms{}",
        order.size(),
        order.size() - failures.size(),
        failures.size(),
        poison,
        stats.commits(),
        (System.nanoTime() - started) / 1_000_000,
        stats.lastError() == null ? "" : "; last error: " + stats.lastError());
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("batchItemFailures", failures);
    return response;
  }

  /** A direct invocation (S3, SNS or EventBridge): throws unless everything committed. */
  private Map<String, Object> direct(String text, StoreEngines e, Context context) {
    long started = System.nanoTime();
    ParsedMessage parsed = parser.parse(text);
    String id = context != null ? context.getAwsRequestId() : "direct";
    RecordDelivery d = new RecordDelivery(id, routed("invocation " + id, parsed, e.routes()));
    String down = unavailableCollection(d, e.unavailable());
    if (down != null) {
      throw new ZarrsyncException(
          "invocation "
              + id
              + ": collection "
              + down
              + " is unavailable ("
              + e.unavailable().get(down)
              + "); Lambda retries the invocation");
    }
    CommitterStats stats = commit(List.of(d), e);
    if (d.outcome() != Outcome.ACKED) {
      String why = d.outcome() == Outcome.REJECTED ? d.reason() : stats.lastError();
      throw new ZarrsyncException(
          "invocation "
              + id
              + ": its "
              + d.events().size()
              + " event(s) could not be committed ("
              + why
              + "); Lambda retries the invocation");
    }
    LOG.info(
        "invocation {}: {} events committed, {} commits, {} ms",
        id,
        d.events().size(),
        stats.commits(),
        (System.nanoTime() - started) / 1_000_000);
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("events", d.events().size());
    response.put("commits", stats.commits());
    return response;
  }

  /** A collection the delivery has events for whose engine is not open, or null. */
  private static String unavailableCollection(RecordDelivery d, Map<String, String> unavailable) {
    for (RoutedEvent r : d.events()) {
      if (unavailable.containsKey(r.collection())) {
        return r.collection();
      }
    }
    return null;
  }

  private static List<RoutedEvent> routed(String what, ParsedMessage parsed, S3Routes routes) {
    if (!parsed.ignored().isEmpty()) {
      LOG.info("{}: ignored {}", what, String.join("; ", parsed.ignored()));
    }
    S3Routes.Routed r = routes.route(parsed.events());
    if (!r.unmatched().isEmpty()) {
      LOG.warn("{}: ignored {}", what, String.join("; ", r.unmatched()));
    }
    return r.events();
  }

  /** Runs the committer over the records until each has an outcome. */
  private CommitterStats commit(List<RecordDelivery> deliveries, StoreEngines e) {
    Committer committer =
        new Committer(
            e.engines(), List.<EventFeed>of(new InvocationFeed(deliveries)), COMMITTER, clock);
    try {
      while (committer.runOnce() > 0) {
        // each record is handed out once: this ends when all have been through a batch
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new ZarrsyncException("interrupted while committing", ie);
    } finally {
      committer.shutdown();
    }
    return committer.stats();
  }

  /** Closes the engines (Lambda never calls this; tests and embedders do). */
  @Override
  public synchronized void close() {
    if (engines != null) {
      engines.close();
      engines = null;
    }
  }
}
