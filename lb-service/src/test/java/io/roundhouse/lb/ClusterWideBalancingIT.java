package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two balancers of one cluster in front of three echo nodes, with the traffic skewed between them:
 * balancer A takes the first 90 clients, then the 30 of them on echo-1 leave, then balancer B takes
 * 90 more. Counting only its own connections, B would spread its 90 evenly and leave echo-1 with 30
 * of 150; counting the cluster's (each node's report, corrected by B's own opens since), B fills
 * echo-1 first and every node ends at its fair share of 50.
 */
class ClusterWideBalancingIT {

  private static final int FIRST_WAVE = 90;
  private static final int SECOND_WAVE = 90;

  private final List<Socket> clients = new ArrayList<>();
  private ClusterFixture fixture;

  @AfterEach
  void stop() throws IOException {
    for (Socket client : clients) {
      client.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void shouldEndEveryNodeWithinTenPercentOfItsFairShareWhenBalancersCountClusterWide()
      throws Exception {
    Map<String, Long> held = skewedWaves("least_connections");

    assertThat(held.values()).allSatisfy(n -> assertThat(n).isBetween(low(held), high(held)));
  }

  @Test
  void shouldEndEveryNodeWithinTenPercentOfItsFairShareWhenBalancersUsePowerOfTwo()
      throws Exception {
    Map<String, Long> held = skewedWaves("power_of_two");

    assertThat(held.values()).allSatisfy(n -> assertThat(n).isBetween(low(held), high(held)));
  }

  @Test
  void shouldLeaveTheEmptiedNodeFarBelowItsShareWhenEachBalancerKnowsOnlyItsOwn() throws Exception {
    // Round-robin shows what a balancer counting only its own connections does here.
    Map<String, Long> held = skewedWaves("round_robin");

    assertThat(held.get("echo-1")).isLessThan(low(held));
  }

  /** 10% below the fair share of what the nodes hold. */
  private static long low(Map<String, Long> held) {
    return Math.round(fair(held) * 0.9);
  }

  private static long high(Map<String, Long> held) {
    return Math.round(fair(held) * 1.1);
  }

  private static double fair(Map<String, Long> held) {
    return held.values().stream().mapToLong(Long::longValue).sum() / (double) held.size();
  }

  /** Runs both waves with {@code strategy} on both balancers; returns what each node holds. */
  private Map<String, Long> skewedWaves(String strategy) throws Exception {
    fixture = new ClusterFixture();
    for (int i = 1; i <= 3; i++) {
      fixture.echo("echo-" + i);
    }
    // No health probes: their short connections would show in the nodes' own counts.
    Map<String, String> settings = Map.of("LB_STRATEGY", strategy, "LB_HEALTH_CHECKS", "false");
    LbService a = fixture.lb("lb-a", settings);
    LbService b = fixture.lb("lb-b", settings);
    fixture.awaitNodes(a, "echo", nodes -> nodes.size() == 3);
    fixture.awaitNodes(b, "echo", nodes -> nodes.size() == 3);

    open(a, FIRST_WAVE);
    awaitReported(b, FIRST_WAVE);
    Set<Integer> onEcho1 = clientPortsOn(a, "echo-1");
    assertThat(onEcho1).isNotEmpty();
    for (Socket client : List.copyOf(clients)) {
      if (onEcho1.contains(client.getLocalPort())) {
        client.close();
        clients.remove(client);
      }
    }
    fixture.awaitNodes(b, "echo", nodes -> reported(nodes).get("echo-1") == 0);

    open(b, SECOND_WAVE);
    long total = FIRST_WAVE - onEcho1.size() + SECOND_WAVE;
    awaitReported(b, total);
    return reported(fixture.nodesOf(b, "echo"));
  }

  /** Opens {@code count} echo connections through {@code lb}, one round trip each. */
  private void open(LbService lb, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      Socket client = TcpClients.connect(lb.tcpPort());
      clients.add(client);
      TcpClients.roundTrip(client, "hello " + i);
    }
  }

  private void awaitReported(LbService lb, long total) {
    fixture.awaitNodes(
        lb,
        "echo",
        nodes -> reported(nodes).values().stream().mapToLong(Long::longValue).sum() == total);
  }

  /** Each node's own count of its open connections, as its last report says. */
  private static Map<String, Long> reported(Map<String, JsonObject> nodes) {
    Map<String, Long> out = new HashMap<>();
    nodes.forEach(
        (id, node) -> {
          Long active = node.getLong("reportedActiveConnections");
          out.put(id, active == null ? -1 : active);
        });
    return out;
  }

  /** The client ports of {@code lb}'s TCP connections to one backend, from its connection list. */
  private Set<Integer> clientPortsOn(LbService lb, String backend) {
    return fixture
        .get(lb.adminPort(), "/api/connections?protocol=tcp&limit=1000&backend=" + backend)
        .getJsonArray("connections")
        .stream()
        .map(JsonObject.class::cast)
        .map(c -> c.getJsonObject("inbound").getString("source"))
        .map(source -> Integer.parseInt(source.substring(source.lastIndexOf(':') + 1)))
        .collect(Collectors.toSet());
  }
}
