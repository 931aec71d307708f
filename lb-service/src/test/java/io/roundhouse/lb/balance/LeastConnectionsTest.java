package io.roundhouse.lb.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeastConnectionsTest {

  /** A candidate whose count (and weight) the test sets. */
  record Node(String id, AtomicLong active, double weight) implements Candidate {
    Node(String id, long active) {
      this(id, new AtomicLong(active), 1.0);
    }

    Node(String id, long active, double weight) {
      this(id, new AtomicLong(active), weight);
    }

    @Override
    public long activeConnections() {
      return active.get();
    }
  }

  /** A candidate with this balancer's count and a different cluster-wide one. */
  record Shared(String id, long activeConnections, long clusterConnections) implements Candidate {}

  private final LeastConnections strategy = new LeastConnections();

  @Test
  void shouldChooseByTheClusterWideCountWhenOtherBalancersHoldConnections() {
    // This balancer holds none to a; another holds many.
    List<Shared> nodes = List.of(new Shared("a", 0, 40), new Shared("b", 3, 10));

    assertThat(strategy.choose(nodes).id()).isEqualTo("b");
  }

  @Test
  void shouldChooseTheFewestConnectionsWhenCountsDiffer() {
    List<Node> nodes = List.of(new Node("a", 5), new Node("b", 2), new Node("c", 9));

    assertThat(strategy.choose(nodes).id()).isEqualTo("b");
  }

  @Test
  void shouldChooseTheFirstWhenCountsTie() {
    List<Node> nodes = List.of(new Node("a", 3), new Node("b", 1), new Node("c", 1));

    assertThat(strategy.choose(nodes).id()).isEqualTo("b");
  }

  @Test
  void shouldFollowTheCountsWhenTheyChangeBetweenChoices() {
    Node a = new Node("a", 0);
    Node b = new Node("b", 0);
    List<Node> nodes = List.of(a, b);
    for (int i = 0; i < 10; i++) {
      strategy.choose(nodes).active().incrementAndGet();
    }

    assertThat(a.activeConnections()).isEqualTo(5);
    assertThat(b.activeConnections()).isEqualTo(5);
    a.active().addAndGet(-3);
    assertThat(strategy.choose(nodes)).isSameAs(a);
  }

  @Test
  void shouldGiveALightBackendAShareInProportionToItsWeightWhenConnectionsAreHeld() {
    Node full = new Node("full", 0);
    Node warming = new Node("warming", 0, 0.25);
    List<Node> nodes = List.of(full, warming);
    for (int i = 0; i < 100; i++) {
      strategy.choose(nodes).active().incrementAndGet();
    }

    // (active + 1) / weight stays level: warming holds about a quarter of what full holds.
    assertThat(warming.activeConnections()).isBetween(19L, 21L);
    assertThat(full.activeConnections()).isBetween(79L, 81L);
  }

  @Test
  void shouldPreferTheFullBackendWhenBothAreIdleAndOneIsWarming() {
    List<Node> nodes = List.of(new Node("warming", 0, 0.5), new Node("full", 0));

    assertThat(strategy.choose(nodes).id()).isEqualTo("full");
  }

  @Test
  void shouldChooseTheWarmingBackendWhenTheFullOneIsFarBusier() {
    List<Node> nodes = List.of(new Node("full", 10), new Node("warming", 1, 0.5));

    assertThat(strategy.choose(nodes).id()).isEqualTo("warming");
  }
}
