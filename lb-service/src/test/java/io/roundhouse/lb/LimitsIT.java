package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limits seen from outside, on a real cluster: what a limit turned away and the service queues,
 * scraped from {@code /metrics} and read from {@code /api/frontends}.
 */
class LimitsIT {

  private static ClusterFixture fixture;
  private static LbService lb;

  @BeforeAll
  static void startCluster() {
    fixture = new ClusterFixture();
    fixture.echo("echo-1");
    lb = fixture.lb(Map.of("LB_MAXCONN", "1", "LB_BACKEND_MAXCONN", "5"));
    fixture.awaitNodes(lb, "echo", nodes -> nodes.size() == 1);
  }

  @AfterAll
  static void stopCluster() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void shouldCountTheClientTurnedAwayWhenTheTcpFrontendIsFull() throws Exception {
    Map<String, String> labels = Map.of("protocol", "tcp", "reason", "frontend_full");
    double before = fixture.metric(lb.adminPort(), "roundhouse_limit_rejections_total", labels);
    try (Socket held = TcpClients.connect(lb.tcpPort())) {
      TcpClients.roundTrip(held, "holds the only place");
      try (Socket late = TcpClients.connect(lb.tcpPort())) {
        int read;
        try {
          read = late.getInputStream().read();
        } catch (SocketException reset) {
          read = -1;
        }
        assertThat(read).as("closed at once").isEqualTo(-1);
      }

      assertThat(fixture.metric(lb.adminPort(), "roundhouse_limit_rejections_total", labels))
          .isEqualTo(before + 1);
      JsonObject limits = fixture.get(lb.adminPort(), "/api/frontends").getJsonObject("limits");
      assertThat(limits.getInteger("maxConnections")).isEqualTo(1);
      assertThat(limits.getInteger("tcpOpen")).isEqualTo(1);
      assertThat(limits.getJsonObject("rejected").getJsonObject("tcp").getLong("frontend_full"))
          .isEqualTo((long) before + 1);
    }
  }

  @Test
  void shouldShowEachServiceQueueWhenScraped() {
    assertThat(
            fixture.metric(
                lb.adminPort(), "roundhouse_queue_length", Map.of("backend_service", "echo")))
        .isZero();
    assertThat(
            fixture.metric(
                lb.adminPort(), "roundhouse_queue_peak", Map.of("backend_service", "ws")))
        .isZero();
    JsonObject queues =
        fixture
            .get(lb.adminPort(), "/api/frontends")
            .getJsonObject("limits")
            .getJsonObject("queues");
    assertThat(queues.getJsonObject("echo").getInteger("current")).isZero();
    assertThat(queues.getJsonObject("ws").getInteger("peak")).isZero();
  }
}
