package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.registry.HazelcastServiceRegistry;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.testing.Eventually;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Backend health as an operator reads it, scraped over HTTP from a balancer in a real cluster: the
 * state, reason, latency and weight on {@code /api/nodes} and {@code /api/stats}, and the health
 * series on {@code /metrics}, for passing backends and for one ejected by outlier detection.
 */
class HealthMetricsIT {

  private static ClusterFixture fixture;
  private static LbService lb;

  @BeforeAll
  static void startCluster() {
    fixture = new ClusterFixture();
    fixture.echo("echo-1");
    fixture.echo("echo-2");
    // Fall 100: a refusing backend stays in rotation for the checks, so outlier detection acts.
    lb =
        fixture.lb(
            Map.of(
                "LB_HEALTH_INTERVAL", "250ms",
                "LB_HEALTH_FALL", "100",
                "LB_OUTLIER_CONSECUTIVE", "3",
                "LB_OUTLIER_EJECTION", "60s",
                "LB_OUTLIER_MAX_EJECTION", "60s"));
    fixture.awaitNodes(lb, "echo", nodes -> nodes.size() == 2);
  }

  @AfterAll
  static void stopCluster() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static double metric(String name, String backend, Map<String, String> more) {
    Map<String, String> labels =
        new java.util.HashMap<>(Map.of("node", "lb-1", "service", "lb", "backend", backend));
    labels.putAll(more);
    return fixture.metric(lb.adminPort(), name, labels);
  }

  @Test
  void shouldShowStateReasonLatencyAndWeightWhenABackendPassesItsChecks() {
    fixture.awaitNodes(
        lb,
        "echo",
        nodes ->
            nodes.get("echo-1").getJsonObject("health").getLong("checksPassed") >= 2
                && "up".equals(nodes.get("echo-1").getJsonObject("health").getString("state")));

    JsonObject node = fixture.nodesOf(lb, "echo").get("echo-1");
    JsonObject health = node.getJsonObject("health");
    assertThat(node.getBoolean("healthy")).isTrue();
    assertThat(node.getDouble("weight")).isEqualTo(1.0);
    assertThat(health.getString("reason")).isEqualTo("ok");
    assertThat(health.getDouble("latencyMs")).isPositive();
    assertThat(health.getInteger("failures")).isZero();
    JsonObject outlier = node.getJsonObject("outlier");
    assertThat(outlier.getBoolean("ejected")).isFalse();
    assertThat(outlier.getLong("ejections")).isZero();

    assertThat(metric("roundhouse_backend_up", "echo-1", Map.of())).isEqualTo(1.0);
    assertThat(metric("roundhouse_backend_health", "echo-1", Map.of("state", "up"))).isEqualTo(1.0);
    assertThat(metric("roundhouse_backend_health", "echo-1", Map.of("state", "down"))).isZero();
    assertThat(metric("roundhouse_backend_health", "echo-1", Map.of("state", "checking"))).isZero();
    assertThat(metric("roundhouse_health_checks_total", "echo-1", Map.of("result", "pass")))
        .isGreaterThanOrEqualTo(2.0);
    assertThat(metric("roundhouse_health_checks_total", "echo-1", Map.of("result", "fail")))
        .isZero();
    assertThat(metric("roundhouse_backend_check_latency_seconds", "echo-1", Map.of())).isPositive();
    assertThat(metric("roundhouse_backend_weight", "echo-1", Map.of())).isEqualTo(1.0);
    assertThat(metric("roundhouse_backend_ejected", "echo-1", Map.of())).isZero();
    assertThat(metric("roundhouse_outlier_ejections_total", "echo-1", Map.of())).isZero();

    // The stats feed samples on its own period: wait for a sample taken after the state change.
    Eventually.until(
        Duration.ofSeconds(10),
        "a stats sample shows echo-1 up",
        () -> "up".equals(statsSample("echo-1").getString("health")));
    JsonObject sample = statsSample("echo-1");
    assertThat(sample.getString("reason")).isEqualTo("ok");
    assertThat(sample.getDouble("weight")).isEqualTo(1.0);
  }

  private static JsonObject statsSample(String id) {
    return fixture.get(lb.adminPort(), "/api/stats").getJsonArray("nodes").stream()
        .map(JsonObject.class::cast)
        .filter(n -> n.getString("id").equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void shouldShowAnEjectionWhenABackendKeepsRefusingDials() throws Exception {
    int refusing;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      refusing = free.getLocalPort();
    }
    ClusterNode ghost = fixture.cluster.join("echo-ghost", "echo");
    new HazelcastServiceRegistry(ghost.vertx(), ghost.hazelcast())
        .register(
            new ServiceInstance("echo-ghost", "echo", "127.0.0.1", refusing, ghost.memberId()))
        .timeout(30, TimeUnit.SECONDS)
        .await();
    try {
      fixture.awaitNodes(lb, "echo", nodes -> nodes.containsKey("echo-ghost"));

      for (int i = 0; i < 12; i++) {
        try (Socket socket = TcpClients.connect(lb.tcpPort())) {
          TcpClients.roundTrip(socket, "client " + i);
        }
      }

      JsonObject node = fixture.nodesOf(lb, "echo").get("echo-ghost");
      JsonObject outlier = node.getJsonObject("outlier");
      assertThat(node.getBoolean("healthy")).isFalse();
      assertThat(node.getLong("failedConnects")).isEqualTo(3);
      assertThat(outlier.getBoolean("ejected")).isTrue();
      assertThat(outlier.getLong("ejections")).isEqualTo(1);
      assertThat(outlier.getString("lastFailure")).isEqualTo("connection refused");
      assertThat(outlier.getLong("remainingMs")).isPositive();
      assertThat(metric("roundhouse_outlier_ejections_total", "echo-ghost", Map.of()))
          .isEqualTo(1.0);
      assertThat(metric("roundhouse_backend_ejected", "echo-ghost", Map.of())).isEqualTo(1.0);
      assertThat(metric("roundhouse_backend_up", "echo-ghost", Map.of())).isZero();
      assertThat(metric("roundhouse_backend_connect_failures_total", "echo-ghost", Map.of()))
          .isEqualTo(3.0);
      // The checks run on their own period: wait for the first one to fail.
      Eventually.until(
          Duration.ofSeconds(10),
          "a failed check of echo-ghost is counted",
          () ->
              metric("roundhouse_health_checks_total", "echo-ghost", Map.of("result", "fail")) > 0);
    } finally {
      ghost.close().timeout(30, TimeUnit.SECONDS).await();
    }
  }
}
