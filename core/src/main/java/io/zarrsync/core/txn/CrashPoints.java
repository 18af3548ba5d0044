package io.zarrsync.core.txn;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Named points of the commit protocol where fault-injection tests stop a writer. Off unless the
 * system property {@code zarrsync.crashpoints} is set, in which case each point reached prints
 * {@code CRASHPOINT <name> <n>} (its n-th hit) on stderr; with {@code
 * zarrsync.crashpoints=pause:<name>:<n>} the writer then stops at that hit and waits to be killed
 * (the test sends SIGKILL when it reads the line). Costs one static boolean test when off.
 *
 * <p>Points: {@code stage} (each staged object), {@code commit.before}, {@code commit.after},
 * {@code publish} (each object moved into place), {@code publish.metadata} (first metadata key),
 * {@code publish.manifest}, {@code publish.drop} (staging cleanup), {@code recover.drop}.
 */
public final class CrashPoints {
  private static final String SPEC = System.getProperty("zarrsync.crashpoints");
  private static final boolean ON = SPEC != null;
  private static final Map<String, AtomicLong> HITS = new ConcurrentHashMap<>();
  private static final PrintStream ERR =
      new PrintStream(
          new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);

  private CrashPoints() {}

  /** Marks that the writer reached {@code name}. */
  public static void hit(String name) {
    if (!ON) {
      return;
    }
    long n = HITS.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    String line = "CRASHPOINT " + name + " " + n;
    boolean pause = SPEC.equals("pause:" + name + ":" + n);
    synchronized (ERR) {
      ERR.println(line);
    }
    if (pause) {
      while (true) {
        try {
          Thread.sleep(60_000);
        } catch (InterruptedException e) {
          // keep waiting for the kill
        }
      }
    }
  }
}
