package io.roundhouse.lb.shed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DrainScheduleTest {

  private static final long PERIOD = 10_000_000_000L;

  @Test
  void shouldPutEachConnectionInItsOwnSliceWhenJittered() {
    Random random = new Random(7);
    long[] at = DrainSchedule.offsets(100, PERIOD, random::nextDouble);

    long slice = PERIOD / 100;
    for (int i = 0; i < at.length; i++) {
      assertThat(at[i]).isBetween(i * slice, (i + 1) * slice);
    }
  }

  @Test
  void shouldCloseAtAnEvenRateWhenCountedPerSecond() {
    Random random = new Random(11);
    long[] at = DrainSchedule.offsets(1_000, PERIOD, random::nextDouble);

    int[] perSecond = new int[10];
    for (long t : at) {
      perSecond[(int) Math.min(9, t / 1_000_000_000L)]++;
    }
    // 1,000 over 10 s: 100 in every second, give or take the one slice a boundary splits.
    assertThat(Arrays.stream(perSecond).boxed().toList())
        .allSatisfy(n -> assertThat(n).isBetween(99, 101));
  }

  @Test
  void shouldNeverScheduleAfterThePeriodWhenTheDrawIsAtItsTop() {
    long[] at = DrainSchedule.offsets(3, PERIOD, () -> 0.999_999_999);

    assertThat(Arrays.stream(at).boxed().toList())
        .allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(PERIOD));
    assertThat(at).isSorted();
  }

  @Test
  void shouldScheduleNothingWhenThereIsNothingToDrain() {
    assertThat(DrainSchedule.offsets(0, PERIOD, () -> 0.5)).isEmpty();
  }

  @Test
  void shouldCloseEverythingAtOnceWhenThePeriodIsZero() {
    assertThat(DrainSchedule.offsets(5, 0, () -> 0.5)).containsOnly(0L);
  }
}
