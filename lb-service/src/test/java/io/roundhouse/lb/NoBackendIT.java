package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.UpgradeRejectedException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A balancer with no live backend answers at once: a close, a 503, never a hang. */
class NoBackendIT {

  private static ClusterFixture fixture;
  private static LbService lb;

  @BeforeAll
  static void startBalancerAlone() {
    fixture = new ClusterFixture();
    lb = fixture.lb();
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void shouldCloseTcpClientWhenNoEchoBackendIsLive() throws Exception {
    try (Socket socket = TcpClients.connect(lb.tcpPort())) {
      socket.setSoTimeout(5_000);
      InputStream in = socket.getInputStream();
      // EOF (or a reset), not a read timeout.
      int first;
      try {
        first = in.read();
      } catch (java.net.SocketException reset) {
        first = -1;
      }
      assertThat(first).isEqualTo(-1);
    }
  }

  @Test
  void shouldAnswer503WhenNoWsBackendIsLive() {
    TestClients.Reply response = fixture.http(lb.httpPort(), "/info");

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.body()).contains("no backend");
  }

  @Test
  void shouldRejectWebSocketUpgradeWith503AndCountItWhenNoWsBackendIsLive() {
    Map<String, String> labels = Map.of("protocol", "websocket", "status", "503");
    double before = fixture.metric(lb.adminPort(), "roundhouse_gateway_errors_total", labels);

    UpgradeRejectedException rejected = fixture.rejectedUpgrade(lb.httpPort(), "/ws");

    assertThat(rejected.getStatus()).isEqualTo(503);
    assertThat(fixture.metric(lb.adminPort(), "roundhouse_gateway_errors_total", labels))
        .isEqualTo(before + 1);
  }

  @Test
  void shouldReportLiveAndReadyWhenListeningWithoutBackends() {
    // Ready means "serving its ports": without backends it answers 503s quickly, which is service.
    assertThat(fixture.get(lb.adminPort(), "/health/live").getString("status")).isEqualTo("UP");
    assertThat(fixture.get(lb.adminPort(), "/health/ready").getString("status")).isEqualTo("UP");
    assertThat(fixture.nodes(lb)).isEmpty();
  }
}
