package io.roundhouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {

  @Test
  void shouldReturnWhenTheConditionHoldsAfterSomePolls() {
    AtomicInteger polls = new AtomicInteger();

    Eventually.until("the third poll", () -> polls.incrementAndGet() == 3);

    assertThat(polls).hasValue(3);
  }

  @Test
  void shouldFailNamingWhatAndStateWhenTheConditionNeverHolds() {
    assertThatThrownBy(
            () -> Eventually.until(Duration.ZERO, "never", () -> false, () -> "the state"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("waiting until never")
        .hasMessageContaining("the state");
  }

  @Test
  void shouldKeepPollingWhenTheConditionThrowsAndHoldsLater() {
    AtomicInteger polls = new AtomicInteger();

    Eventually.until(
        "a refused connection is accepted later",
        () -> {
          if (polls.incrementAndGet() < 3) {
            throw new IllegalStateException("refused");
          }
          return true;
        });

    assertThat(polls).hasValue(3);
  }

  @Test
  void shouldReportTheLastFailureAsCauseWhenTheConditionKeepsThrowing() {
    assertThatThrownBy(
            () ->
                Eventually.until(
                    Duration.ZERO,
                    "it stops throwing",
                    () -> {
                      throw new AssertionError("expected 2 but was 1");
                    }))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("waiting until it stops throwing")
        .cause()
        .hasMessage("expected 2 but was 1");
  }
}
