package io.zarrsync.events;

import static io.zarrsync.core.SourceEvent.Kind.CREATED;
import static io.zarrsync.core.SourceEvent.Kind.REMOVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zarrsync.core.SourceEvent.Kind;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class EventOrderTest {
  private static final Instant T0 = Instant.parse("2024-03-05T10:00:00Z");

  @Test
  void sequencersOfTheSameLengthCompareAsHexNumbers() {
    assertThat(EventOrder.compareSequencers("0055AED6DCD90281E5", "0055AED6DCD90281E6"))
        .isNegative();
    assertThat(EventOrder.compareSequencers("0055AED6DCD90281E6", "0055AED6DCD90281E5"))
        .isPositive();
    assertThat(EventOrder.compareSequencers("0055AED6DCD90281E5", "0055AED6DCD90281E5")).isZero();
  }

  @Test
  void sequencersOfDifferentLengthsAreLeftPaddedBeforeComparing() {
    // As plain strings "0055..." < "55..." would hold for the wrong reason and "...E5" < "...E500"
    // would hold too; padded, the numeric order decides.
    assertThat(EventOrder.compareSequencers("55AED6DCD90281E4", "0055AED6DCD90281E5")).isNegative();
    assertThat(EventOrder.compareSequencers("0055AED6DCD90281E5", "0055AED6DCD90281E500"))
        .isNegative();
    assertThat(EventOrder.compareSequencers("FF", "0100")).isNegative();
    assertThat(EventOrder.compareSequencers("0100", "FF")).isPositive();
    assertThat(EventOrder.compareSequencers("00ff", "FF")).isZero();
  }

  @Test
  void aSequencerThatIsNotHexIsRefused() {
    assertThatThrownBy(() -> EventOrder.compareSequencers("0055G", "0055"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'0055G'");
  }

  @Property
  void sequencerOrderIsTheOrderOfTheHexNumbers(
      @ForAll("sequencers") String a, @ForAll("sequencers") String b) {
    int expected = new BigInteger(a, 16).compareTo(new BigInteger(b, 16));

    assertThat(Integer.signum(EventOrder.compareSequencers(a, b))).isEqualTo(expected);
  }

  @Provide
  Arbitrary<String> sequencers() {
    Arbitrary<String> zeros = Arbitraries.strings().withChars('0').ofMaxLength(4);
    Arbitrary<String> digits =
        Arbitraries.strings().withChars("0123456789ABCDEFabcdef").ofMinLength(1).ofMaxLength(20);
    return net.jqwik.api.Combinators.combine(zeros, digits).as(String::concat);
  }

  @Test
  void theGreatestSequencerWinsWhateverTheArrivalOrder() {
    ObjectEvent put = event("a.nc", CREATED, "0055AED6DCD90281E5", T0);
    ObjectEvent delete = event("a.nc", REMOVED, "0055AED6DCD90281E6", T0);
    ObjectEvent putAgain = event("a.nc", CREATED, "0055AED6DCD90281E600", T0);

    assertThat(EventOrder.latestPerKey(List.of(put, delete))).containsExactly(delete);
    assertThat(EventOrder.latestPerKey(List.of(delete, put))).containsExactly(delete);
    assertThat(EventOrder.latestPerKey(List.of(putAgain, delete, put))).containsExactly(putAgain);
  }

  @Test
  void theSequencerBeatsTheEventTimeWhenEveryEventHasOne() {
    // Both in the same second: eventTime cannot tell them apart, the sequencer can.
    ObjectEvent delete = event("a.nc", REMOVED, "617f0837b476e463", T0.plusSeconds(1));
    ObjectEvent put = event("a.nc", CREATED, "617f08299329d189", T0.plusSeconds(1));

    assertThat(EventOrder.latestPerKey(List.of(delete, put))).containsExactly(delete);
  }

  @Test
  void withoutSequencersTheLatestEventTimeWinsThenTheLaterArrival() {
    ObjectEvent early = event("a.nc", CREATED, null, T0);
    ObjectEvent late = event("a.nc", REMOVED, null, T0.plusMillis(1));
    ObjectEvent lateDuplicateKind = event("a.nc", CREATED, null, T0.plusMillis(1));

    assertThat(EventOrder.latestPerKey(List.of(late, early))).containsExactly(late);
    assertThat(EventOrder.latestPerKey(List.of(late, lateDuplicateKind)))
        .containsExactly(lateDuplicateKind);
    assertThat(EventOrder.latestPerKey(List.of(lateDuplicateKind, late))).containsExactly(late);
  }

  @Test
  void whenOneEventOfAKeyLacksASequencerTheEventTimeDecidesForAllOfThem() {
    ObjectEvent sequencedOld = event("a.nc", CREATED, "FFFF", T0);
    ObjectEvent unsequencedNew = event("a.nc", REMOVED, null, T0.plusSeconds(5));
    ObjectEvent sequencedMiddle = event("a.nc", CREATED, "0001", T0.plusSeconds(2));

    assertThat(EventOrder.latestPerKey(List.of(sequencedOld, unsequencedNew, sequencedMiddle)))
        .containsExactly(unsequencedNew);
  }

  @Test
  void keysAndBucketsAreOrderedSeparatelyAndKeepTheOrderOfTheirFirstAppearance() {
    ObjectEvent b1 = event("b.nc", CREATED, "10", T0);
    ObjectEvent a1 = event("a.nc", CREATED, "10", T0);
    ObjectEvent b2 = event("b.nc", REMOVED, "11", T0);
    ObjectEvent otherBucket =
        new ObjectEvent("other", "a.nc", REMOVED, "99", T0, -1, null, "ObjectRemoved:Delete");
    ObjectEvent a0 = event("a.nc", REMOVED, "0F", T0);

    assertThat(EventOrder.latestPerKey(List.of(b1, a1, b2, otherBucket, a0)))
        .containsExactly(b2, a1, otherBucket);
  }

  @Test
  void latestPerKeyOnParsedMessagesKeepsTheRemovalThatCameLast() {
    ParsedMessage lambda = Fixtures.parse("lambda-s3-event.json");
    List<ObjectEvent> reversed = new ArrayList<>(lambda.events());
    Collections.reverse(reversed);

    assertThat(EventOrder.latestPerKey(reversed))
        .singleElement()
        .extracting(ObjectEvent::kind)
        .isEqualTo(REMOVED);
  }

  @Property(tries = 200)
  void theResultDoesNotDependOnTheArrivalOrder(@ForAll long seed) {
    Random random = new Random(seed);
    List<ObjectEvent> events = new ArrayList<>();
    int counter = 0;
    for (String key : List.of("a.nc", "b.nc", "c.nc")) {
      for (int i = 0; i < 1 + random.nextInt(5); i++) {
        String sequencer = "0".repeat(random.nextInt(3)) + Integer.toHexString(100 + counter++);
        events.add(event(key, random.nextBoolean() ? CREATED : REMOVED, sequencer, T0));
      }
    }
    List<ObjectEvent> shuffled = new ArrayList<>(events);
    Collections.shuffle(shuffled, random);

    List<ObjectEvent> expected = EventOrder.latestPerKey(events);
    assertThat(EventOrder.latestPerKey(shuffled)).containsExactlyInAnyOrderElementsOf(expected);
    // Counter grew with each event, so the last event of each key in creation order wins.
    for (ObjectEvent winner : expected) {
      ObjectEvent lastOfKey =
          events.stream().filter(e -> e.key().equals(winner.key())).reduce((x, y) -> y).get();
      assertThat(winner).isSameAs(lastOfKey);
    }
  }

  private static ObjectEvent event(String key, Kind kind, String sequencer, Instant time) {
    return new ObjectEvent(
        "bucket",
        key,
        kind,
        sequencer,
        time,
        kind == CREATED ? 1 : -1,
        null,
        kind == CREATED ? "ObjectCreated:Put" : "ObjectRemoved:Delete");
  }
}
