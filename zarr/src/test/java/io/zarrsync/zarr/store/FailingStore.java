package io.zarrsync.zarr.store;

import io.zarrsync.api.StoreException;
import io.zarrsync.api.TransientStoreException;
import io.zarrsync.api.UnknownOutcomeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A {@link Store} decorator that fails chosen operations the way real stores fail, for tests of
 * what a writer leaves behind and whether it recovers.
 *
 * <pre>{@code
 * FailingStore store = new FailingStore(new FileSystemStore(dir));
 * store.fail(FailingStore.Rule.on(Op.PUT).key("\\.zarrsync/txn/.*").nth(3).with(Failure.DISK_FULL));
 * ... // the 3rd staged put fails, and (disk full) every later put and putIfAbsent too
 * store.heal(); // rules and the full disk are cleared
 * }</pre>
 *
 * <p>A rule counts the operations that match it (its operations and its key predicate) and fires at
 * the {@code n}th; a {@link Rule#persistent() persistent} rule also fails every later match until
 * {@link #heal()}. Every operation is recorded ({@link #calls()}), so a test can first record a
 * successful run and then pick a point: "the 3rd staged chunk put", "the commit record".
 *
 * <p>{@link #afterEach} runs a callback after every operation that went through, so that a test can
 * look at the store in each intermediate state of a writer's work.
 *
 * <p>The wrapper is not a {@link FileSystemStore} and reports no {@link #localDirectory()}, so
 * callers that would otherwise rename files behind the store (publishing staged objects) take the
 * generic path through {@link #get}, {@link #put} and {@link #delete}, which is what gets failed.
 * {@link #describe()} is the wrapped store's, as error messages would name it. Thread-safe.
 */
public final class FailingStore implements Store {
  /** A store operation. {@link #listChildren} counts as {@link #LIST}. */
  public enum Op {
    GET,
    PUT,
    PUT_IF_ABSENT,
    DELETE,
    EXISTS,
    LIST
  }

  /** How an operation fails. */
  public enum Failure {
    /**
     * {@code StoreException("... No space left on device")}, nothing written; the disk then stays
     * full: every later put and putIfAbsent fails the same way until {@link #heal()} (reads and
     * deletes still work, as on a real full disk).
     */
    DISK_FULL,
    /** A {@link StoreException} caused by an {@link IOException} (EIO); nothing happened. */
    IO_ERROR,
    /** A {@link TransientStoreException}: nothing happened, retrying may succeed. */
    TRANSIENT,
    /** The operation is performed, then {@link UnknownOutcomeException} (a lost response). */
    UNKNOWN_AFTER,
    /** {@link UnknownOutcomeException} without performing the operation (a lost request). */
    UNKNOWN_BEFORE
  }

  /**
   * One operation seen by the store.
   *
   * @param index position among all operations, from 1
   * @param op the operation
   * @param key the key (the prefix or directory for {@link Op#LIST})
   * @param failure how it was failed, or null if it went through
   */
  public record Call(long index, Op op, String key, Failure failure) {
    public boolean failed() {
      return failure != null;
    }
  }

  /**
   * When and how to fail. Immutable; build with {@link #on} and the {@code with...} methods.
   *
   * @param ops the operations it applies to
   * @param keys which keys it applies to
   * @param keyText the key predicate, for messages
   * @param nth fires at the nth matching operation (from 1)
   * @param failure how it fails
   * @param untilHealed whether it also fails every later matching operation until healed ({@link
   *     #persistent()})
   */
  public record Rule(
      Set<Op> ops,
      Predicate<String> keys,
      String keyText,
      int nth,
      Failure failure,
      boolean untilHealed) {
    public Rule {
      ops = Set.copyOf(ops);
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(failure, "failure");
      if (ops.isEmpty() || nth < 1) {
        throw new IllegalArgumentException("a rule needs operations and nth >= 1: " + ops + nth);
      }
    }

    /** Fails the first matching operation, any key, with {@link Failure#IO_ERROR}, once. */
    public static Rule on(Op first, Op... more) {
      return new Rule(EnumSet.of(first, more), k -> true, "any key", 1, Failure.IO_ERROR, false);
    }

    /** Only keys that match {@code regex} in full. */
    public Rule key(String regex) {
      Pattern p = Pattern.compile(regex);
      return new Rule(ops, k -> p.matcher(k).matches(), regex, nth, failure, untilHealed);
    }

    /** Only keys that {@code predicate} accepts; {@code text} names it in messages. */
    public Rule key(Predicate<String> predicate, String text) {
      return new Rule(ops, predicate, text, nth, failure, untilHealed);
    }

    public Rule nth(int n) {
      return new Rule(ops, keys, keyText, n, failure, untilHealed);
    }

    public Rule with(Failure f) {
      return new Rule(ops, keys, keyText, nth, f, untilHealed);
    }

    /** Also fails every later matching operation, until {@link FailingStore#heal()}. */
    public Rule persistent() {
      return new Rule(ops, keys, keyText, nth, failure, true);
    }

    /** Whether {@code op} on {@code key} counts against this rule. */
    public boolean matches(Op op, String key) {
      return ops.contains(op) && keys.test(key);
    }

    @Override
    public String toString() {
      return failure
          + " at "
          + (untilHealed ? "and after " : "")
          + "match #"
          + nth
          + " of "
          + ops
          + " on "
          + keyText;
    }
  }

  /** A rule in force and its count. */
  private static final class Armed {
    final Rule rule;
    int matches;

    Armed(Rule rule) {
      this.rule = rule;
    }
  }

  private final Store delegate;
  private final List<Armed> rules = new ArrayList<>();
  private final List<Call> calls = new ArrayList<>();
  private boolean full;
  private int fired;
  private volatile Consumer<Call> listener = c -> {};

  public FailingStore(Store delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The wrapped store (what another process would see). */
  public Store delegate() {
    return delegate;
  }

  /** Adds a rule; rules are checked in the order added, and the first that fires decides. */
  public synchronized FailingStore fail(Rule rule) {
    rules.add(new Armed(Objects.requireNonNull(rule, "rule")));
    return this;
  }

  /**
   * Calls {@code l} (on the calling thread) after each operation that went through, once its effect
   * is in the wrapped store; replaces any earlier callback.
   */
  public FailingStore afterEach(Consumer<Call> l) {
    this.listener = Objects.requireNonNull(l, "listener");
    return this;
  }

  /** Clears every rule and the full disk; later operations go through. Keeps the record. */
  public synchronized void heal() {
    rules.clear();
    full = false;
  }

  /** How many operations were failed since the store was made. */
  public synchronized int fired() {
    return fired;
  }

  /** Whether a {@link Failure#DISK_FULL} fired and was not healed. */
  public synchronized boolean full() {
    return full;
  }

  /** Every operation seen, oldest first. */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The operations seen that {@code rule} counts (whether or not they were failed). */
  public synchronized List<Call> calls(Rule rule) {
    return calls.stream().filter(c -> rule.matches(c.op(), c.key())).toList();
  }

  /** The operations seen that {@code op} and the regex {@code keyRegex} (in full) match. */
  public synchronized List<Call> calls(Op op, String keyRegex) {
    Pattern p = Pattern.compile(keyRegex);
    return calls.stream().filter(c -> c.op() == op && p.matcher(c.key()).matches()).toList();
  }

  /** The operations that were failed. */
  public synchronized List<Call> failures() {
    return calls.stream().filter(Call::failed).toList();
  }

  /** Forgets the recorded operations (rule counts are kept). */
  public synchronized void clearCalls() {
    calls.clear();
  }

  /** Counts the operation against every rule, decides whether it fails (and how), records it. */
  private synchronized Call decide(Op op, String key) {
    Failure failure = null;
    if (full && (op == Op.PUT || op == Op.PUT_IF_ABSENT)) {
      failure = Failure.DISK_FULL;
    }
    for (Armed a : rules) {
      if (!a.rule.matches(op, key)) {
        continue;
      }
      a.matches++;
      boolean fires =
          a.matches == a.rule.nth() || (a.rule.untilHealed() && a.matches > a.rule.nth());
      if (fires && failure == null) {
        failure = a.rule.failure();
      }
    }
    if (failure == Failure.DISK_FULL) {
      full = true;
    }
    if (failure != null) {
      fired++;
    }
    Call call = new Call(calls.size() + 1L, op, key, failure);
    calls.add(call);
    return call;
  }

  private <T> T run(Op op, String key, Supplier<T> action) {
    Call call = decide(op, key);
    Failure f = call.failure();
    if (f == null) {
      T result = action.get();
      listener.accept(call);
      return result;
    }
    String what = describe() + ": cannot " + verb(op) + " " + key + ": ";
    switch (f) {
      case DISK_FULL:
        throw new StoreException(
            what + "No space left on device (injected by FailingStore)",
            new IOException("No space left on device"));
      case IO_ERROR:
        throw new StoreException(
            what + "java.io.IOException: Input/output error (injected by FailingStore)",
            new IOException("Input/output error"));
      case TRANSIENT:
        throw new TransientStoreException(
            what + "503 Slow Down, nothing was done (injected by FailingStore)");
      case UNKNOWN_BEFORE:
        throw new UnknownOutcomeException(
            what + "connection reset, the outcome is unknown (injected by FailingStore)");
      case UNKNOWN_AFTER:
        var unused = action.get();
        throw new UnknownOutcomeException(
            what + "read timed out after the request was sent (injected by FailingStore)");
      default:
        throw new IllegalStateException(f.name());
    }
  }

  private static String verb(Op op) {
    return switch (op) {
      case GET -> "read";
      case PUT -> "write";
      case PUT_IF_ABSENT -> "create";
      case DELETE -> "delete";
      case EXISTS -> "stat";
      case LIST -> "list";
    };
  }

  @Override
  public Optional<byte[]> get(String key) {
    return run(Op.GET, key, () -> delegate.get(key));
  }

  @Override
  public void put(String key, byte[] value) {
    run(
        Op.PUT,
        key,
        () -> {
          delegate.put(key, value);
          return null;
        });
  }

  @Override
  public boolean putIfAbsent(String key, byte[] value) {
    return run(Op.PUT_IF_ABSENT, key, () -> delegate.putIfAbsent(key, value));
  }

  @Override
  public void delete(String key) {
    run(
        Op.DELETE,
        key,
        () -> {
          delegate.delete(key);
          return null;
        });
  }

  @Override
  public boolean exists(String key) {
    return run(Op.EXISTS, key, () -> delegate.exists(key));
  }

  @Override
  public List<String> list(String prefix) {
    return run(Op.LIST, prefix, () -> delegate.list(prefix));
  }

  @Override
  public List<String> listChildren(String dir) {
    return run(Op.LIST, dir, () -> delegate.listChildren(dir));
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public synchronized String toString() {
    return "FailingStore[" + delegate + ", rules " + rules.size() + "]";
  }
}
