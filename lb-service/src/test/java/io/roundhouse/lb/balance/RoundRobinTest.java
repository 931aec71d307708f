package io.roundhouse.lb.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.lb.balance.LeastConnectionsTest.Node;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

  private final List<Node> nodes = List.of(new Node("a", 0), new Node("b", 0), new Node("c", 0));

  @Test
  void shouldLandWithinOneOfFairShareWhenChoicesDoNotDivideEvenly() {
    RoundRobin strategy = new RoundRobin();
    Map<String, Integer> counts = new ConcurrentHashMap<>();
    for (int i = 0; i < 100; i++) {
      counts.merge(strategy.choose(nodes).id(), 1, Integer::sum);
    }

    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(33, 34));
  }

  @Test
  void shouldSpreadEvenlyWhenChoicesComeFromSeveralThreads() throws Exception {
    RoundRobin strategy = new RoundRobin();
    Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> work =
          java.util.stream.IntStream.range(0, 4)
              .<Future<?>>mapToObj(
                  t ->
                      threads.submit(
                          () -> {
                            for (int i = 0; i < 3_000; i++) {
                              counts
                                  .computeIfAbsent(
                                      strategy.choose(nodes).id(), k -> new AtomicInteger())
                                  .incrementAndGet();
                            }
                          }))
              .toList();
      for (Future<?> f : work) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(counts).containsOnlyKeys("a", "b", "c");
    counts.values().forEach(n -> assertThat(n.get()).isEqualTo(4_000));
  }

  @Test
  void shouldGiveALightBackendAboutItsWeightOfItsTurnsAndSpreadTheRestEvenly() {
    RoundRobin strategy = new RoundRobin(new java.util.Random(42)::nextDouble);
    List<Node> weighted = List.of(new Node("a", 0), new Node("b", 0), new Node("new", 0, 0.1));
    Map<String, Integer> counts = new ConcurrentHashMap<>();
    for (int i = 0; i < 3_000; i++) {
      counts.merge(strategy.choose(weighted).id(), 1, Integer::sum);
    }

    // Its 1,000 turns: about 100 taken, plus a tenth of the passed turns drawn to it again.
    assertThat(counts.get("new")).isBetween(80, 190);
    // The passed turns are shared by the others, not left to the one next in line.
    assertThat(Math.abs(counts.get("a") - counts.get("b"))).isLessThan(150);
    assertThat(counts.get("a") + counts.get("b") + counts.get("new")).isEqualTo(3_000);
  }

  @Test
  void shouldTakeTheHeaviestWhenEveryCandidatePassesItsTurn() {
    RoundRobin strategy = new RoundRobin(() -> 0.99);
    List<Node> light = List.of(new Node("a", 0, 0.2), new Node("b", 0, 0.5), new Node("c", 0, 0.1));

    for (int i = 0; i < 6; i++) {
      assertThat(strategy.choose(light).id()).isEqualTo("b");
    }
  }

  @Test
  void shouldKeepExactTurnsWhenEveryWeightIsFull() {
    RoundRobin strategy = new RoundRobin(() -> 0.99);

    assertThat(List.of(strategy.choose(nodes), strategy.choose(nodes), strategy.choose(nodes)))
        .extracting(Node::id)
        .containsExactly("a", "b", "c");
  }
}
