package io.zarrsync.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {
  private final List<Duration> waits = new ArrayList<>();
  private final Retry retry =
      Retry.defaults()
          .withAttempts(4)
          .withBackoff(Duration.ofMillis(10), Duration.ofMillis(40))
          .withSleeper(waits::add);

  @Test
  void repeatsTransientFailuresThenSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    String out =
        retry.call(
            "op",
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new TransientStoreException("503 SlowDown");
              }
              return "done";
            });
    assertThat(out).isEqualTo("done");
    assertThat(calls).hasValue(3);
    assertThat(waits).hasSize(2).allSatisfy(d -> assertThat(d.toMillis()).isBetween(0L, 40L));
  }

  @Test
  void givesUpAfterTheLastAttemptWithTheLastFailure() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.call(
                    "op",
                    () -> {
                      throw new TransientStoreException("fail " + calls.incrementAndGet());
                    }))
        .isInstanceOf(TransientStoreException.class)
        .hasMessage("fail 4");
    assertThat(waits).hasSize(3);
  }

  @Test
  void otherFailuresPropagateAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.call(
                    "op",
                    () -> {
                      calls.incrementAndGet();
                      throw new StoreException("disk full");
                    }))
        .hasMessage("disk full");
    assertThat(calls).hasValue(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void unknownOutcomeIsNotRetriedBlindly() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.call(
                    "create",
                    () -> {
                      calls.incrementAndGet();
                      throw new UnknownOutcomeException("timed out");
                    }))
        .isInstanceOf(UnknownOutcomeException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void idempotentOperationsRepeatAfterUnknownOutcome() {
    AtomicInteger calls = new AtomicInteger();
    retry.runIdempotent(
        "put",
        () -> {
          if (calls.incrementAndGet() == 1) {
            throw new UnknownOutcomeException("connection reset");
          }
        });
    assertThat(calls).hasValue(2);
  }

  @Test
  void checkedWriteReturnsWhatTheCheckFoundWhenTheWriteHadLanded() {
    AtomicInteger writes = new AtomicInteger();
    boolean created =
        retry.callChecked(
            "create log/1",
            () -> {
              writes.incrementAndGet();
              throw new UnknownOutcomeException("timed out after sending");
            },
            () -> Optional.of(Boolean.TRUE));
    assertThat(created).isTrue();
    assertThat(writes).hasValue(1);
  }

  @Test
  void checkedWriteIsRetriedWhenTheCheckFindsNothing() {
    AtomicInteger writes = new AtomicInteger();
    boolean created =
        retry.callChecked(
            "create log/1",
            () -> {
              if (writes.incrementAndGet() == 1) {
                throw new UnknownOutcomeException("timed out");
              }
              return Boolean.TRUE;
            },
            Optional::empty);
    assertThat(created).isTrue();
    assertThat(writes).hasValue(2);
  }

  @Test
  void noneMakesOneAttempt() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                Retry.none()
                    .call(
                        "op",
                        () -> {
                          calls.incrementAndGet();
                          throw new TransientStoreException("x");
                        }))
        .isInstanceOf(TransientStoreException.class);
    assertThat(calls).hasValue(1);
  }
}
