package io.roundhouse.lb.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlowStartTest {

  private static final Duration PERIOD = Duration.ofSeconds(30);
  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  /** Up since t = 100 s. */
  private final HealthState up = HealthState.checking(0).passed(100 * SECOND, 1, 2);

  @Test
  void shouldGiveFullWeightWhenSlowStartIsOff() {
    assertThat(SlowStart.weight(Duration.ZERO, HealthState.checking(0), 0)).isEqualTo(1.0);
    assertThat(SlowStart.weight(Duration.ZERO, up, 100 * SECOND)).isEqualTo(1.0);
  }

  @Test
  void shouldGiveTheLeastWeightBeforeTheFirstPass() {
    assertThat(SlowStart.weight(PERIOD, HealthState.checking(0), 500 * SECOND))
        .isEqualTo(SlowStart.MIN_WEIGHT);
  }

  @Test
  void shouldGrowLinearlyFromTheFirstPassToFullWeight() {
    assertThat(SlowStart.weight(PERIOD, up, 100 * SECOND)).isEqualTo(SlowStart.MIN_WEIGHT);
    assertThat(SlowStart.weight(PERIOD, up, 100 * SECOND + 15 * SECOND))
        .isCloseTo(0.5, within(1e-9));
    assertThat(SlowStart.weight(PERIOD, up, 100 * SECOND + 24 * SECOND))
        .isCloseTo(0.8, within(1e-9));
    assertThat(SlowStart.weight(PERIOD, up, 100 * SECOND + 30 * SECOND)).isEqualTo(1.0);
    assertThat(SlowStart.weight(PERIOD, up, 100 * SECOND + 300 * SECOND)).isEqualTo(1.0);
  }

  @Test
  void shouldStartAfreshWhenItComesBackAfterBeingDown() {
    HealthState back =
        up.failed(200 * SECOND, "timed out", 1, 1)
            .passed(210 * SECOND, 1, 2)
            .passed(211 * SECOND, 1, 2);

    assertThat(SlowStart.weight(PERIOD, back, 211 * SECOND)).isEqualTo(SlowStart.MIN_WEIGHT);
    assertThat(SlowStart.weight(PERIOD, back, 226 * SECOND)).isCloseTo(0.5, within(1e-9));
  }
}
