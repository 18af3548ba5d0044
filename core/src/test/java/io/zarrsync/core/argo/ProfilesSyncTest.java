package io.zarrsync.core.argo;

import static io.zarrsync.core.argo.ArgoFixture.prof;
import static org.assertj.core.api.Assertions.assertThat;

import io.zarrsync.core.ProgressListener;
import io.zarrsync.core.SourceEvent;
import io.zarrsync.core.SyncReport;
import io.zarrsync.core.config.CollectionConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure modes of the old system on small Argo-like files, driven through the sync engine: R
 * then D then removal of R (F6), blank identity fields (F7), several profiles per file (F8), a file
 * missing a variable (F9), duplicate events, and any arrival order.
 */
class ProfilesSyncTest {
  static final String CONFIG =
      """
      name: argo-test
      match: '^.*\\.nc$'
      layout: profiles
      identity: [PLATFORM_NUMBER, CYCLE_NUMBER, DIRECTION]
      rank:
        - field: DATA_MODE
          best-first: [D, A, R]
        - field: DATE_UPDATE
      provenance: {key: SOURCE_KEY, position: SOURCE_POSITION}
      chunks: {N_PROF: 3, N_LEVELS: 4}
      variables: [PLATFORM_NUMBER, CYCLE_NUMBER, DIRECTION, DATA_MODE, DC_REFERENCE, JULD,
                  DATE_UPDATE, PRES, PRES_QC, TEMP]
      """;

  static final String R1 = "dac/x/5900001/profiles/R5900001_001.nc";
  static final String D1 = "dac/x/5900001/profiles/D5900001_001.nc";

  @TempDir Path tmp;

  static CollectionConfig config() {
    return CollectionConfig.parse(CONFIG, null);
  }

  Scenario scenario(String name) {
    return new Scenario(tmp.resolve(name), config());
  }

  /** R file of cycle 1 carrying 'A' (as many real R files do), older DATE_UPDATE. */
  static ArgoFixture r1() {
    return ArgoFixture.of(prof().mode('A').levels(4).version(1)).dateUpdate("20190205183539");
  }

  /** The delayed-mode version of the same profile: more levels, other values. */
  static ArgoFixture d1() {
    return ArgoFixture.of(prof().mode('D').levels(6).version(2)).dateUpdate("20230731225244");
  }

  /** Asserts that {@code row} shows profile {@code p} of {@code fixture} read from {@code key}. */
  static void assertShows(ProfileStore s, int row, String key, ArgoFixture fixture, int p) {
    ArgoFixture.Prof prof = fixture.profiles().get(p);
    assertThat(s.key(row)).isEqualTo(key);
    assertThat(s.position(row)).isEqualTo(p);
    assertThat(s.text("DATA_MODE", row)).isEqualTo(String.valueOf(prof.mode));
    double[] temp = s.numbers("TEMP", row);
    double[] pres = s.numbers("PRES", row);
    for (int i = 0; i < temp.length; i++) {
      assertThat(temp[i])
          .as("TEMP[%d] of row %d", i, row)
          .isEqualTo(i < prof.levels ? prof.temp(i) : 99999f);
      assertThat(pres[i])
          .as("PRES[%d] of row %d", i, row)
          .isEqualTo(i < prof.levels ? prof.pres(i) : 99999f);
    }
    assertThat(s.numbers("JULD", row)[0]).isEqualTo(prof.juld());
  }

  @Test
  void f6RealTimeThenDelayedThenRemovalOfTheRealTimeFileShowsTheDelayedProfile() {
    Scenario s = scenario("f6");
    s.create(R1, r1());
    ProfileStore afterR = s.store();
    assertThat(afterR.rows()).isEqualTo(1);
    assertShows(afterR, 0, R1, r1(), 0);

    s.create(D1, d1());
    ProfileStore afterD = s.store();
    assertThat(afterD.rows()).isEqualTo(1);
    assertShows(afterD, 0, D1, d1(), 0);
    assertThat(afterD.dim("PRES", 1)).isEqualTo(6);

    SyncReport removal = s.remove(R1);
    assertThat(removal.removed()).isEqualTo(1);
    assertThat(removal.rowsWritten()).isZero();
    assertThat(removal.rowsBlanked()).isZero();
    assertThat(removal.chunksWritten()).isZero();
    assertThat(removal.chunksDeleted()).isZero();
    assertShows(s.store(), 0, D1, d1(), 0);
    assertThat(s.store().content(6)).isEqualTo(afterD.content(6));
    assertThat(s.withEngine(e -> e.verify(ProgressListener.NONE)).drifts()).isEmpty();
  }

  @Test
  void f6DelayedThenRealTimeKeepsTheDelayedProfileAndRemovingItBringsTheRealTimeBack() {
    Scenario s = scenario("f6b");
    s.create(D1, d1());
    SyncReport late = s.create(R1, r1());
    assertThat(late.added()).isEqualTo(1);
    assertThat(late.rowsWritten()).isZero();
    assertThat(late.chunksWritten()).isZero();
    ProfileStore st = s.store();
    assertThat(st.rows()).isEqualTo(1);
    assertShows(st, 0, D1, d1(), 0);

    SyncReport removal = s.remove(D1);
    assertThat(removal.rowsWritten()).isEqualTo(1);
    ProfileStore back = s.store();
    assertThat(back.rows()).isEqualTo(1);
    // the row keeps its place; the R profile is shorter, so its tail is fill again
    assertShows(back, 0, R1, r1(), 0);

    SyncReport last = s.remove(R1);
    assertThat(last.rowsBlanked()).isEqualTo(1);
    ProfileStore empty = s.store();
    assertThat(empty.shown()).isEmpty();
    assertThat(empty.blankRows()).isEqualTo(empty.rows());
  }

  @Test
  void f6RemovingAnUnknownOrSupersededFileChangesNothing() {
    Scenario s = scenario("f6c");
    s.create(D1, d1());
    SyncReport unknown = s.apply(SourceEvent.removed("dac/x/5900001/profiles/R5900001_099.nc"));
    assertThat(unknown.unchangedStore()).isTrue();
    SyncReport again = s.apply(SourceEvent.created(D1), SourceEvent.created(D1));
    assertThat(again.unchangedStore()).isTrue();
    assertShows(s.store(), 0, D1, d1(), 0);
  }

  @Test
  void f7BlankIdentityFieldsInTwoFilesGiveTwoRowsThatStayTwoOnResync() {
    Scenario s = scenario("f7");
    ArgoFixture a = ArgoFixture.of(prof().platform("").dcReference("").version(3));
    ArgoFixture b = ArgoFixture.of(prof().platform("").dcReference("").version(4));
    ArgoFixture blankDc = ArgoFixture.of(prof().platform("5900002").dcReference(""));
    ArgoFixture otherBlankDc = ArgoFixture.of(prof().platform("5900003").dcReference(""));
    s.put("dac/a/profiles/R0000000_001.nc", a);
    s.put("dac/b/profiles/R0000000_001.nc", b);
    s.put("dac/c/profiles/R5900002_001.nc", blankDc);
    s.put("dac/d/profiles/R5900003_001.nc", otherBlankDc);
    s.sync();
    ProfileStore st = s.store();
    assertThat(st.rows()).isEqualTo(4);
    assertThat(st.shown().keySet())
        .containsExactlyInAnyOrder(
            "file:dac/a/profiles/R0000000_001.nc#0",
            "file:dac/b/profiles/R0000000_001.nc#0",
            "5900002/1/A/0",
            "5900003/1/A/0");
    assertShows(
        st,
        st.shown().get("file:dac/a/profiles/R0000000_001.nc#0"),
        "dac/a/profiles/R0000000_001.nc",
        a,
        0);
    assertShows(
        st,
        st.shown().get("file:dac/b/profiles/R0000000_001.nc#0"),
        "dac/b/profiles/R0000000_001.nc",
        b,
        0);

    assertThat(s.sync().unchangedStore()).isTrue();
    assertThat(s.apply(SourceEvent.created("dac/a/profiles/R0000000_001.nc")).unchangedStore())
        .isTrue();
    assertThat(s.store().rows()).isEqualTo(4);
  }

  @Test
  void f8EveryProfileOfMultiProfileFilesIsKept() {
    Scenario s = scenario("f8");
    ArgoFixture three =
        ArgoFixture.file()
            .profile(prof().cycle(7).mode('D').levels(6).version(1))
            .profile(prof().cycle(7).mode('A').levels(3).version(2))
            .profile(prof().cycle(7).mode('R').levels(2).version(3));
    ArgoFixture two =
        ArgoFixture.file()
            .profile(prof().cycle(7).direction('D').levels(5))
            .profile(prof().cycle(7).direction('D').levels(1).version(9));
    s.create("p/D5900001_007.nc", three);
    s.create("p/R5900001_007D.nc", two);
    ProfileStore st = s.store();
    assertThat(st.rows()).isEqualTo(5);
    Map<String, Integer> shown = st.shown();
    for (int p = 0; p < 3; p++) {
      assertShows(st, shown.get("5900001/7/A/" + p), "p/D5900001_007.nc", three, p);
    }
    for (int p = 0; p < 2; p++) {
      assertShows(st, shown.get("5900001/7/D/" + p), "p/R5900001_007D.nc", two, p);
    }
  }

  @Test
  void f9AFileMissingAVariableGetsFillForItAndItIsRecorded() {
    Scenario s = scenario("f9");
    s.create("b/R5900001_001.nc", r1());
    ArgoFixture noTemp = ArgoFixture.of(prof().platform("5900009")).omit("TEMP");
    SyncReport report = s.create("c/R5900009_001.nc", noTemp);
    assertThat(report.quarantined()).isEmpty();
    assertThat(report.added()).isEqualTo(1);
    ProfileStore st = s.store();
    int row = st.shown().get("5900009/1/A/0");
    assertThat(st.numbers("TEMP", row)).containsOnly(99999f);
    assertShows(st, st.shown().get("5900001/1/A/0"), "b/R5900001_001.nc", r1(), 0);
    assertThat(st.numbers("PRES", row)[0]).isEqualTo(noTemp.profiles().get(0).pres(0));
    assertThat(s.missingVariables()).isEqualTo(Map.of("c/R5900009_001.nc", List.of("TEMP")));
  }

  @Test
  void f9AFileMissingAVariableIsAppliedEvenWhenItComesFirstInTheBatch() {
    Scenario s = scenario("f9first");
    // sorted first: it cannot define the store's arrays, the next file does
    s.put("a/R5900009_001.nc", ArgoFixture.of(prof().platform("5900009")).omit("TEMP"));
    s.put("b/R5900001_001.nc", r1());
    SyncReport report = s.sync();
    assertThat(report.quarantined()).isEmpty();
    assertThat(report.added()).isEqualTo(2);
    ProfileStore st = s.store();
    assertThat(st.numbers("TEMP", st.shown().get("5900009/1/A/0"))).containsOnly(99999f);
    assertThat(s.missingVariables()).isEqualTo(Map.of("a/R5900009_001.nc", List.of("TEMP")));
  }

  /** One step of a history: a file appears (and its event arrives) or goes away. */
  record Step(String key, ArgoFixture file) {
    boolean removal() {
      return file == null;
    }
  }

  @Test
  void everyArrivalOrderGivesWhatAFreshSyncOfTheFinalSourceGives() {
    ArgoFixture multi =
        ArgoFixture.file()
            .profile(prof().cycle(2).levels(7).version(5))
            .profile(prof().cycle(2).levels(2).version(6));
    List<Step> steps =
        List.of(
            new Step(R1, r1()),
            new Step(D1, d1()),
            new Step("dac/x/5900001/profiles/R5900001_002.nc", multi),
            new Step(R1, null));

    Scenario fresh = scenario("fresh");
    for (Step st : steps) {
      if (!st.removal() && !st.key().equals(R1)) {
        fresh.put(st.key(), st.file());
      }
    }
    fresh.sync();
    ProfileStore expected = fresh.store();
    assertThat(expected.shown()).hasSize(3);
    var expectedContent = expected.content(7);

    int histories = 0;
    for (List<Step> order : permutations(steps)) {
      int createR1 = indexOf(order, R1, false);
      int removeR1 = indexOf(order, R1, true);
      if (removeR1 < createR1) {
        continue; // a file cannot be removed before it exists
      }
      Scenario s = scenario("perm" + histories++);
      for (Step st : order) {
        if (st.removal()) {
          s.remove(st.key());
        } else {
          s.create(st.key(), st.file());
        }
      }
      ProfileStore got = s.store();
      assertThat(got.content(7)).as("order %s", keys(order)).isEqualTo(expectedContent);
      assertThat(got.rows() - got.blankRows()).isEqualTo(expected.rows());
      assertThat(got.arrayAttributes()).isEqualTo(expected.arrayAttributes());
      assertThat(s.sync().unchangedStore()).as("re-sync after %s", keys(order)).isTrue();
    }
    assertThat(histories).isEqualTo(12);
  }

  private static int indexOf(List<Step> order, String key, boolean removal) {
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).key().equals(key) && order.get(i).removal() == removal) {
        return i;
      }
    }
    throw new AssertionError(key);
  }

  private static List<String> keys(List<Step> order) {
    return order.stream().map(st -> (st.removal() ? "-" : "+") + st.key()).toList();
  }

  static <T> List<List<T>> permutations(List<T> items) {
    if (items.isEmpty()) {
      return List.of(List.of());
    }
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      List<T> rest = new ArrayList<>(items);
      T head = rest.remove(i);
      for (List<T> tail : permutations(rest)) {
        List<T> p = new ArrayList<>();
        p.add(head);
        p.addAll(tail);
        out.add(p);
      }
    }
    return out;
  }
}
