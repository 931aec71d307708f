package io.roundhouse.load.spread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.load.admin.NodeStats;
import io.roundhouse.load.admin.NodesSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

  private static List<NodeCount> ws(long... counts) {
    return java.util.stream.IntStream.range(0, counts.length)
        .mapToObj(i -> new NodeCount("ws-" + (i + 1), "ws", counts[i]))
        .toList();
  }

  private static NodeStats node(String id, String service, long routed, Long reported) {
    return new NodeStats(id, service, "127.0.0.1", 7000, true, 0, routed, 0, 0L, reported);
  }

  @Test
  void shouldPassWhenRoundRobinSplitsEvenly() {
    Verdict v = Spread.even("t", ws(10, 10, 10), 0.10);

    assertThat(v.passed()).isTrue();
    assertThat(v.total()).isEqualTo(30);
    assertThat(v.rows()).allSatisfy(r -> assertThat(r.verdict()).isEqualTo("ok"));
    assertThat(v.rows().get(0).share()).isEqualTo(1.0 / 3);
    assertThat(v.rows().get(0).fair()).isEqualTo(10.0);
  }

  @Test
  void shouldAllowOneConnectionEitherWayWhenTheTotalDoesNotDivide() {
    // 31 over 3: fair 10.33, round robin gives 11/10/10; 10% of 10.33 is only 1.03.
    assertThat(Spread.even("t", ws(11, 10, 10), 0.10).passed()).isTrue();
    // Small runs: 10% of 2 is 0.2, but one connection of slack always remains.
    assertThat(Spread.even("t", ws(3, 2, 1), 0.10).passed()).isTrue();
    assertThat(Spread.even("t", ws(1, 0, 0), 0.0).passed()).isTrue();
  }

  @Test
  void shouldFailWhenANodeIsOffByMoreThanTheTolerance() {
    // fair 20, allowed 2: 23 and 17 are 3 off.
    Verdict v = Spread.even("t", ws(23, 17, 20), 0.10);

    assertThat(v.passed()).isFalse();
    assertThat(v.rows()).extracting(Row::ok).containsExactly(false, false, true);
    assertThat(v.rows().get(0).verdict()).isEqualTo("HIGH by 3.0 (+15.0%)");
    assertThat(v.rows().get(1).verdict()).isEqualTo("LOW by 3.0 (-15.0%)");
    assertThat(v.message())
        .startsWith("uneven spread: ws-1 took 23 of 60 (38.3%), fair share 20.0 ± 2.0")
        .contains("ws-2 took 17 of 60");
  }

  @Test
  void shouldPassAtExactlyTheToleranceWhenCheckingEvenSpread() {
    // fair 20, allowed 2.
    assertThat(Spread.even("t", ws(22, 18, 20), 0.10).passed()).isTrue();
  }

  @Test
  void shouldFailWhenNothingWasCounted() {
    assertThat(Spread.even("t", ws(0, 0, 0), 0.10).message())
        .isEqualTo("no connections were counted on any of 3 nodes");
    assertThat(Spread.even("t", List.of(), 0.10).message())
        .isEqualTo("no nodes of the service under test are registered");
    assertThat(Spread.oneNode("t", ws(0, 0), 0.10, null).passed()).isFalse();
  }

  @Test
  void shouldPassPileUpWhenOneNodeTookEverything() {
    Verdict v = Spread.oneNode("t", ws(30, 0, 0), 0.10, "ws-1");

    assertThat(v.passed()).isTrue();
    assertThat(v.rows().get(0).verdict()).isEqualTo("ok, took the pile");
    assertThat(v.message()).isEqualTo("ws-1 took 30 of 30 (100.0%), at least 90.0% expected");
  }

  @Test
  void shouldPassPileUpAtExactlyTheToleranceWhenAFewStrayElsewhere() {
    assertThat(Spread.oneNode("t", ws(1, 27, 2), 0.10, null).passed()).isTrue();
    assertThat(Spread.oneNode("t", ws(2, 27, 2), 0.10, null).passed()).isFalse();
  }

  @Test
  void shouldFailPileUpWhenABalancerSpreadTheConnections() {
    Verdict v = Spread.oneNode("t", ws(10, 10, 10), 0.10, null);

    assertThat(v.passed()).isFalse();
    assertThat(v.message()).startsWith("spread out, no pile-up: ws-1 took 10 of 30 (33.3%)");
  }

  @Test
  void shouldFailPileUpWhenTheWrongNodeTookIt() {
    Verdict v = Spread.oneNode("t", ws(0, 30, 0), 0.10, "ws-1");

    assertThat(v.passed()).isFalse();
    assertThat(v.message()).contains("wrong node").endsWith("expected ws-1");
  }

  @Test
  void shouldRejectAToleranceOutsideZeroToOne() {
    assertThatThrownBy(() -> Spread.even("t", ws(1), 1.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Spread.oneNode("t", ws(1), -0.1, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldCountTheGrowthOfEachNodeWhenComparingSnapshots() {
    NodesSnapshot before =
        new NodesSnapshot(
            "lb-1",
            List.of(
                node("ws-1", "ws", 5, 7L),
                node("ws-2", "ws", 5, null),
                node("gone", "ws", 9, 9L),
                node("echo-1", "echo", 100, 100L)));
    NodesSnapshot after =
        new NodesSnapshot(
            "lb-1",
            List.of(
                node("ws-1", "ws", 15, 17L),
                node("ws-2", "ws", 14, 9L),
                node("ws-3", "ws", 11, null),
                node("echo-1", "echo", 130, 130L)));

    assertThat(Spread.deltas(before, after, "ws", Counter.ROUTED))
        .containsExactly(
            new NodeCount("ws-1", "ws", 10),
            new NodeCount("ws-2", "ws", 9),
            new NodeCount("ws-3", "ws", 11));
    assertThat(Spread.deltas(before, after, "ws", Counter.REPORTED))
        .containsExactly(
            new NodeCount("ws-1", "ws", 10),
            new NodeCount("ws-2", "ws", 9),
            new NodeCount("ws-3", "ws", 0));
    assertThat(Spread.deltas(before, after, "echo", Counter.ROUTED))
        .containsExactly(new NodeCount("echo-1", "echo", 30));
  }

  @Test
  void shouldCountAfreshWhenANodesCounterWentBackwards() {
    NodesSnapshot before = new NodesSnapshot("lb-1", List.of(node("ws-1", "ws", 0, 50L)));
    NodesSnapshot after = new NodesSnapshot("lb-1", List.of(node("ws-1", "ws", 0, 4L)));

    assertThat(Spread.deltas(before, after, "ws", Counter.REPORTED))
        .containsExactly(new NodeCount("ws-1", "ws", 4));
  }
}
