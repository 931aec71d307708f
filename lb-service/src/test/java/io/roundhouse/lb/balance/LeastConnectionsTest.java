package io.roundhouse.lb.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeastConnectionsTest {

  /** A candidate whose count the test sets. */
  record Node(String id, AtomicLong active) implements Candidate {
    Node(String id, long active) {
      this(id, new AtomicLong(active));
    }

    @Override
    public long activeConnections() {
      return active.get();
    }
  }

  private final LeastConnections strategy = new LeastConnections();

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
}
