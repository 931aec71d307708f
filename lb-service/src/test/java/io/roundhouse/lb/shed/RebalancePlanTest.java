package io.roundhouse.lb.shed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RebalancePlanTest {

  private static Map<String, Long> counts(long... n) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < n.length; i++) {
      out.put("n" + (i + 1), n[i]);
    }
    return out;
  }

  @Test
  void shouldMoveOffTheMostLoadedWhenANewBackendJoinsEmpty() {
    // 90 over three nodes, a fourth joins: mean 67.5 (ceil 68).
    assertThat(RebalancePlan.plan(counts(90, 90, 90, 0), 0.1))
        .hasValueSatisfying(
            move -> {
              assertThat(move.from()).isEqualTo("n1");
              assertThat(move.count()).isEqualTo(22);
            });
  }

  @Test
  void shouldLeaveItAloneWhenTheSpreadIsWithinTolerance() {
    assertThat(RebalancePlan.plan(counts(50, 54, 47), 0.1)).isEmpty();
  }

  @Test
  void shouldMoveWhenOneBackendIsTooHighEvenIfNoneIsTooLow() {
    assertThat(RebalancePlan.plan(counts(70, 40, 40), 0.1))
        .hasValueSatisfying(move -> assertThat(move.from()).isEqualTo("n1"));
  }

  @Test
  void shouldMoveNothingWhenEveryBackendIsAtTheMeanRoundedUp() {
    // 4 over 3: the most loaded holds 2, the mean rounded up: nothing to gain.
    assertThat(RebalancePlan.plan(counts(2, 1, 1), 0.1)).isEmpty();
  }

  @Test
  void shouldNotPlanWhenThereIsOneBackendOrNone() {
    assertThat(RebalancePlan.plan(counts(100), 0.1)).isEmpty();
    assertThat(RebalancePlan.plan(counts(), 0.1)).isEmpty();
  }

  @Test
  void shouldMeasureTheSpreadAsMaxMinusMinOverTheMeanWhenAsked() {
    assertThat(RebalancePlan.spread(counts(30, 30, 0))).isEqualTo(1.5);
    assertThat(RebalancePlan.spread(counts(20, 20, 20))).isZero();
    assertThat(RebalancePlan.spread(counts(0, 0))).isZero();
  }
}
