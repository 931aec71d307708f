package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.echo.EchoService;
import io.roundhouse.testing.Eventually;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} on every service, scraped over HTTP while real connections run through the
 * balancer: inbound counts on the balancer, per-backend counts as the balancer sees them, and each
 * node's own count, all tagged with node and service.
 */
class MetricsIT {

  private static ClusterFixture fixture;
  private static LbService lb;
  private static final List<EchoService> echoes = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    fixture = new ClusterFixture();
    for (int i = 1; i <= 3; i++) {
      echoes.add(fixture.echo("echo-" + i));
    }
    fixture.ws("ws-1");
    fixture.ws("ws-2");
    lb = fixture.lb();
    fixture.awaitNodes(lb, "echo", nodes -> nodes.size() == 3);
    fixture.awaitNodes(lb, "ws", nodes -> nodes.size() == 2);
  }

  @AfterAll
  static void stopCluster() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void shouldCountInboundAndPerBackendConnectionsWhenClientsConnectThroughTheBalancer()
      throws Exception {
    List<Socket> sockets = new ArrayList<>();
    List<WebSocket> webSockets = new ArrayList<>();
    HttpClient http = HttpClient.newHttpClient();
    try {
      for (int i = 0; i < 6; i++) {
        Socket socket = TcpClients.connect(lb.tcpPort());
        TcpClients.roundTrip(socket, "hello " + i);
        sockets.add(socket);
      }
      for (int i = 0; i < 4; i++) {
        webSockets.add(
            http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + lb.httpPort() + "/ws"), quiet())
                .get(20, TimeUnit.SECONDS));
      }

      Eventually.until(
          Duration.ofSeconds(20),
          "the balancer counts 6 TCP and 4 WebSocket connections",
          () -> lbMetric("tcp") == 6.0 && lbMetric("websocket") == 4.0);
      for (int i = 1; i <= 3; i++) {
        assertThat(backendActive("echo-" + i)).as("echo-%d via the balancer", i).isEqualTo(2.0);
      }
      assertThat(backendActive("ws-1")).isEqualTo(2.0);
      assertThat(backendActive("ws-2")).isEqualTo(2.0);
      for (EchoService echo : echoes) {
        String node = echo.node().nodeId();
        // Awaited: the node's own count also includes the balancer's checks, open for an instant.
        Eventually.until(
            Duration.ofSeconds(20),
            node + " counts its 2 connections",
            () ->
                fixture.metric(
                        echo.adminPort(),
                        "roundhouse_connections_active",
                        Map.of("node", node, "service", "echo", "protocol", "tcp"))
                    == 2.0);
      }
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
      for (WebSocket ws : webSockets) {
        ws.abort();
      }
    }
    Eventually.until(
        Duration.ofSeconds(20),
        "the balancer counts no connection",
        () -> lbMetric("tcp") == 0.0 && lbMetric("websocket") == 0.0);
    assertThat(
            fixture.metric(
                lb.adminPort(),
                "roundhouse_connections_total",
                Map.of("node", "lb-1", "service", "lb", "protocol", "tcp")))
        .isGreaterThanOrEqualTo(6.0);
  }

  @Test
  void shouldDropBackendSeriesWhenTheBackendLeaves() {
    EchoService leaving = fixture.echo("echo-leaving");
    fixture.awaitNodes(lb, "echo", nodes -> nodes.containsKey("echo-leaving"));
    Map<String, String> labels = Map.of("backend", "echo-leaving", "backend_service", "echo");
    assertThat(fixture.hasMetric(lb.adminPort(), "roundhouse_backend_connections_total", labels))
        .isTrue();

    fixture.stop(leaving);

    fixture.awaitNodes(lb, "echo", nodes -> !nodes.containsKey("echo-leaving"));
    assertThat(fixture.hasMetric(lb.adminPort(), "roundhouse_backend_connections_total", labels))
        .isFalse();
  }

  private static double lbMetric(String protocol) {
    return fixture.metric(
        lb.adminPort(),
        "roundhouse_connections_active",
        Map.of("node", "lb-1", "service", "lb", "protocol", protocol));
  }

  private static double backendActive(String backend) {
    return fixture.metric(
        lb.adminPort(),
        "roundhouse_backend_connections_active",
        Map.of("node", "lb-1", "service", "lb", "backend", backend));
  }

  private static WebSocket.Listener quiet() {
    return new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        webSocket.request(1);
        return null;
      }
    };
  }
}
