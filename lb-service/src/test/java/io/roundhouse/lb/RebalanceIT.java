package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.Eventually;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Paced rebalancing over two balancers with skewed traffic (80% of the users through one): when a
 * third ws node joins, the balancers move WebSockets off the two loaded ones with 1012 until the
 * new one holds its fair share, never more moves in a second, cluster-wide, than the rate.
 */
class RebalanceIT {

  private static final int RATE = 4;

  private ClusterFixture fixture;
  private HeldWebSockets viaA;
  private HeldWebSockets viaB;

  @AfterEach
  void stop() {
    for (HeldWebSockets users : new HeldWebSockets[] {viaA, viaB}) {
      if (users != null) {
        users.close();
      }
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void shouldMoveWebSocketsToANewNodeUntilItHoldsItsShareWithinTheRateWhenItJoins()
      throws Exception {
    fixture = new ClusterFixture();
    fixture.ws("ws-1");
    fixture.ws("ws-2");
    Map<String, String> settings =
        Map.of(
            "LB_STRATEGY", "least_connections",
            "LB_REBALANCE", "true",
            "LB_REBALANCE_RATE", String.valueOf(RATE),
            "LB_REBALANCE_INTERVAL", "500ms",
            "LB_REBALANCE_JITTER", "400ms");
    LbService a = fixture.lb("lb-a", settings);
    LbService b = fixture.lb("lb-b", settings);
    fixture.awaitNodes(a, "ws", nodes -> nodes.size() == 2);
    fixture.awaitNodes(b, "ws", nodes -> nodes.size() == 2);
    viaA = new HeldWebSockets(fixture.clients, a.httpPort(), Set.of(1012));
    viaB = new HeldWebSockets(fixture.clients, b.httpPort(), Set.of(1012));
    viaA.open(48);
    viaB.open(12);
    assertThat(perNode()).doesNotContainKey("ws-3");

    fixture.ws("ws-3");

    Eventually.until(
        Duration.ofSeconds(60),
        "ws-3 within 10% of its fair share (20 of 60), every user connected",
        () -> {
          Map<String, Integer> now = perNode();
          int onNew = now.getOrDefault("ws-3", 0);
          int all = now.values().stream().mapToInt(Integer::intValue).sum();
          return all == 60 && onNew >= 18 && onNew <= 22;
        });
    for (HeldWebSockets users : new HeldWebSockets[] {viaA, viaB}) {
      assertThat(users.errors()).isEmpty();
      assertThat(users.closes())
          .allSatisfy(
              close -> {
                assertThat(close.code()).isEqualTo(1012);
                assertThat(close.reason()).isEqualTo("rebalancing");
              });
    }
    for (LbService lb : new LbService[] {a, b}) {
      JsonObject status = fixture.get(lb.adminPort(), "/api/rebalance");
      assertThat(status.getLong("windowMovesMax")).isBetween(1L, (long) RATE);
    }
    Eventually.until(
        Duration.ofSeconds(20),
        "every move scraped is a 1012 a user recovered from",
        () -> moves(a) + moves(b) == viaA.closes().size() + viaB.closes().size());
    // Both balancers moved their own users: the cluster shared the work.
    assertThat(viaA.closes()).isNotEmpty();
  }

  private double moves(LbService lb) {
    return fixture.metric(
        lb.adminPort(), "roundhouse_rebalance_moves_total", Map.of("service", "ws"));
  }

  private Map<String, Integer> perNode() {
    Map<String, Integer> all = new java.util.TreeMap<>(viaA.perNode());
    viaB.perNode().forEach((node, n) -> all.merge(node, n, Integer::sum));
    return all;
  }
}
