package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.ws.WsService;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP edge in a real cluster: a ws-service member's operational endpoints answer on its own
 * port but not through the balancer's public port, and the balancer's refusals are counted by
 * reason on its scraped {@code /metrics}, tagged with node and service.
 */
class EdgeIT {

  private static final String METRIC = "roundhouse_edge_rejections_total";
  private static ClusterFixture fixture;
  private static WsService ws;
  private static LbService lb;

  @BeforeAll
  static void startCluster() {
    fixture = new ClusterFixture();
    ws = fixture.ws("ws-1");
    lb = fixture.lb(Map.of("LB_HEADER_TIMEOUT", "500ms"));
    fixture.awaitNodes(lb, "ws", nodes -> nodes.size() == 1);
  }

  @AfterAll
  static void stopCluster() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static double rejections(String reason) {
    return fixture.metric(
        lb.adminPort(), METRIC, Map.of("reason", reason, "node", "lb-1", "service", "lb"));
  }

  @Test
  void shouldAnswer404ThroughThePublicPortWhenPathIsABackendsOperationalEndpoint() {
    assertThat(fixture.http(ws.port(), "/metrics").status()).isEqualTo(200);
    assertThat(fixture.http(ws.port(), "/health/ready").status()).isEqualTo(200);

    assertThat(fixture.http(lb.httpPort(), "/metrics").status()).isEqualTo(404);
    assertThat(fixture.http(lb.httpPort(), "/health/ready").status()).isEqualTo(404);
    assertThat(fixture.http(lb.httpPort(), "/info").status()).isEqualTo(200);
  }

  @Test
  void shouldCountEachRefusalByReasonWhenScrapingMetrics() throws Exception {
    double framing = rejections("framing");
    double denied = rejections("public_deny");
    double headerTimeout = rejections("header_timeout");
    double upgrade = rejections("upgrade");

    RawHttp.Answer smuggled =
        RawHttp.exchange(
            lb.httpPort(),
            "POST /info HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /info HTTP/1.1\r\nHost: x\r\n\r\n");
    int deniedStatus = fixture.http(lb.httpPort(), "/metrics").status();
    RawHttp.Answer silent;
    try (Socket socket = TcpClients.connect(lb.httpPort())) {
      silent = RawHttp.readToClose(socket);
    }
    RawHttp.Answer noConnectionUpgrade =
        RawHttp.exchange(
            lb.httpPort(),
            "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");

    assertThat(smuggled.status()).isEqualTo(400);
    assertThat(deniedStatus).isEqualTo(404);
    assertThat(silent.status()).isEqualTo(408);
    assertThat(noConnectionUpgrade.status()).isEqualTo(400);
    assertThat(rejections("framing")).isEqualTo(framing + 1);
    assertThat(rejections("public_deny")).isEqualTo(denied + 1);
    assertThat(rejections("header_timeout")).isEqualTo(headerTimeout + 1);
    assertThat(rejections("upgrade")).isEqualTo(upgrade + 1);
  }
}
