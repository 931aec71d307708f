package io.roundhouse.lb.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PowerOfTwoTest {

  record Node(String id, AtomicLong cluster, double weight) implements Candidate {
    Node(String id, long cluster) {
      this(id, new AtomicLong(cluster), 1.0);
    }

    @Override
    public long activeConnections() {
      return 0;
    }

    @Override
    public long clusterConnections() {
      return cluster.get();
    }
  }

  /** Hands out the given draws in order. */
  private static PowerOfTwo drawing(int... draws) {
    int[] next = {0};
    return new PowerOfTwo(bound -> draws[next[0]++] % bound);
  }

  @Test
  void shouldTakeTheLessLoadedOfTheTwoDrawnWhenTheyDiffer() {
    List<Node> nodes = List.of(new Node("a", 9), new Node("b", 1), new Node("c", 0));

    // Draws a (index 0), then b (0 + 1 + 0).
    assertThat(drawing(0, 0).choose(nodes).id()).isEqualTo("b");
    // Draws b, then a ((1 + 1 + 1) % 3 = 0).
    assertThat(drawing(1, 1).choose(nodes).id()).isEqualTo("b");
  }

  @Test
  void shouldNeverDrawTheSameBackendTwiceWhenThereAreTwo() {
    Node busy = new Node("busy", 100);
    Node idle = new Node("idle", 0);

    // Whatever the draws, the two drawn are the two backends, so the idle one wins.
    for (int first = 0; first < 2; first++) {
      assertThat(drawing(first, 0).choose(List.of(busy, idle))).isSameAs(idle);
    }
  }

  @Test
  void shouldReturnTheOnlyBackendWhenThereIsOne() {
    Node only = new Node("only", 5);

    assertThat(new PowerOfTwo().choose(List.of(only))).isSameAs(only);
  }

  @Test
  void shouldSpreadHeldConnectionsEvenlyWhenCountsAreCurrent() {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      nodes.add(new Node("n" + i, 0));
    }
    PowerOfTwo strategy = new PowerOfTwo();
    for (int i = 0; i < 5_000; i++) {
      strategy.choose(nodes).cluster().incrementAndGet();
    }

    Map<String, Long> counts = new TreeMap<>();
    nodes.forEach(n -> counts.put(n.id(), n.clusterConnections()));
    // Two choices keep the maximum within a few of the mean (1,000), far tighter than random.
    assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(950L, 1_050L));
  }

  @Test
  void shouldNotChooseAWeightZeroBackendWhenTheOtherDrawnCanTakeIt() {
    Node cold = new Node("cold", new AtomicLong(0), 0.0);
    Node warm = new Node("warm", 50);

    assertThat(drawing(0, 0).choose(List.of(cold, warm))).isSameAs(warm);
  }
}
