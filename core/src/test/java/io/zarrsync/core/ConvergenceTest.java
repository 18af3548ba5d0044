package io.zarrsync.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Any sequence of creations, revisions and removals, with its events delivered late, out of order
 * and duplicated, in batches of any size, converges to what a fresh sync of the final source gives.
 */
class ConvergenceTest {
  static final int DAYS = 3;
  static Path pool;
  static Path[][] versions;

  @BeforeContainer
  static void generate() throws IOException {
    pool = Files.createTempDirectory("zarrsync-convergence");
    versions = new Path[DAYS][2];
    List<Path> v0 = Fixtures.sst(pool.resolve("v0"), DAYS, 20, 30, true);
    for (int d = 0; d < DAYS; d++) {
      versions[d][0] = v0.get(d);
      versions[d][1] = pool.resolve("v1/" + Fixtures.sstName(d));
      Files.createDirectories(versions[d][1].getParent());
      Fixtures.sstDay(versions[d][1], d, 20, 30, 1, true);
    }
  }

  @AfterContainer
  static void cleanUp() throws IOException {
    delete(pool);
  }

  static void delete(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * @param actions each is day (a % 3) and operation (a / 3: write version 0, write version 1 under
   *     the day's key or under {@code rev1/}, remove)
   */
  @Property(tries = 30)
  void eventsInAnyOrderConvergeToAFreshSync(
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 0, max = 11) Integer> actions,
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int batchSize)
      throws IOException {
    Path dir = Files.createTempDirectory("zarrsync-prop");
    Random random = new Random(seed);
    try (Scenario s =
        new Scenario(
            dir.resolve("src"),
            new io.zarrsync.zarr.store.MemoryStore(),
            Fixtures.sstConfig(),
            Scenario.serial().withBatchSize(batchSize))) {
      List<SourceEvent> pending = new ArrayList<>();
      List<SourceEvent> delivered = new ArrayList<>();
      for (int a : actions) {
        int day = a % DAYS;
        int op = a / DAYS;
        String key = (op == 2 ? "rev1/" : "") + Fixtures.sstName(day);
        switch (op) {
          case 0, 1, 2 -> {
            s.put(versions[day][op == 0 ? 0 : 1], key);
            pending.add(SourceEvent.created(key));
          }
          default -> {
            String gone = random.nextBoolean() ? key : "rev1/" + key;
            s.remove(gone);
            pending.add(SourceEvent.removed(gone));
          }
        }
        if (random.nextInt(3) == 0) {
          deliver(s, pending, delivered, random);
        }
      }
      deliver(s, pending, delivered, random);
      Map<String, String> fresh = s.freshSyncContent();
      if (fresh.isEmpty()) {
        // nothing live: a fresh sync creates no store; ours keeps its (empty) arrays readable
        org.assertj.core.api.Assertions.assertThat(
                s.engine.status().dims().getOrDefault("time", 0L))
            .isZero();
        org.assertj.core.api.Assertions.assertThat(s.zarrContent().keySet())
            .allMatch(k -> k.startsWith("lat/") || k.startsWith("lon/") || k.contains(".z"));
      } else {
        Scenario.assertSame(s.zarrContent(), fresh);
      }
      // replaying everything changes nothing
      List<SourceEvent> replay = new ArrayList<>(delivered);
      Collections.shuffle(replay, random);
      org.assertj.core.api.Assertions.assertThat(s.apply(replay).commits()).isEmpty();
      org.assertj.core.api.Assertions.assertThat(s.sync().commits()).isEmpty();
    } finally {
      delete(dir);
    }
  }

  /** Delivers the pending events shuffled, some twice, plus a few stale repeats. */
  private static void deliver(
      Scenario s, List<SourceEvent> pending, List<SourceEvent> delivered, Random random) {
    List<SourceEvent> batch = new ArrayList<>(pending);
    for (SourceEvent e : pending) {
      if (random.nextInt(4) == 0) {
        batch.add(e);
      }
    }
    if (!delivered.isEmpty() && random.nextBoolean()) {
      batch.add(delivered.get(random.nextInt(delivered.size())));
    }
    Collections.shuffle(batch, random);
    s.apply(batch);
    delivered.addAll(pending);
    pending.clear();
  }
}
