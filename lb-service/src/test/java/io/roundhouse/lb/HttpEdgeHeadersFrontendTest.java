package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.registry.ServiceInstance;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the HTTP frontend passes on and what it keeps back: hop-by-hop headers stop at the balancer
 * both ways (RFC 9110 section 7.6.1), and the backends' operational paths are answered 404 without
 * a backend seeing the request. The origin answers with the headers it received, and adds
 * connection-specific headers of its own.
 */
class HttpEdgeHeadersFrontendTest {

  private static final String HOP_BY_HOP_REQUEST_HEADERS =
      "Connection: close, X-Conn-Only\r\nX-Conn-Only: secret\r\nKeep-Alive: timeout=5\r\n"
          + "Proxy-Connection: keep-alive\r\nTE: trailers\r\nTrailer: X-Checksum\r\n"
          + "X-End-To-End: kept\r\n";
  private static Frontends frontends;
  private static final List<String> originSaw = new CopyOnWriteArrayList<>();
  private static int originPort;

  @BeforeAll
  static void start() {
    // Checks off: the origin must see no request but the test's own.
    frontends = new Frontends(Map.of("LB_HEALTH_CHECKS", "off"));
    originPort =
        frontends.httpOrigin(
            req -> {
              originSaw.add(req.path());
              JsonObject headers = new JsonObject();
              req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
              req.response()
                  .putHeader("Connection", "X-Origin-Conn")
                  .putHeader("X-Origin-Conn", "per-connection")
                  .putHeader("Keep-Alive", "timeout=5")
                  .putHeader("Proxy-Connection", "keep-alive")
                  .putHeader("Upgrade", "h2c")
                  .putHeader("Trailer", "X-Checksum")
                  .putHeader("X-Origin-End-To-End", "kept")
                  .end(headers.encode());
            });
    frontends.backendUp("origin-1", ServiceInstance.WS, originPort);
  }

  @AfterAll
  static void stop() {
    if (frontends != null) {
      frontends.close();
    }
  }

  @BeforeEach
  void forget() {
    originSaw.clear();
  }

  private static void assertNoHopByHopRequestHeaders(JsonObject seen) {
    assertThat(seen.fieldNames())
        .doesNotContain("x-conn-only", "keep-alive", "proxy-connection", "te", "trailer")
        .contains("x-end-to-end");
  }

  @Test
  void shouldNotForwardHopByHopHeadersEitherWayWhenProxying() throws Exception {
    RawHttp.Answer answer =
        RawHttp.exchange(
            frontends.httpPort(),
            "GET /headers HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\n"
                + HOP_BY_HOP_REQUEST_HEADERS
                + "\r\n");
    JsonObject seen = new JsonObject(answer.body());

    assertThat(answer.status()).isEqualTo(200);
    assertNoHopByHopRequestHeaders(seen);
    assertThat(seen.fieldNames()).doesNotContain("upgrade");
    assertThat(answer.headLowerCase())
        .doesNotContain("x-origin-conn", "keep-alive", "proxy-connection", "upgrade", "trailer")
        .contains("x-origin-end-to-end: kept");
  }

  @Test
  void shouldForwardOnlyTheUpgradeItselfWhenTunnellingAnUpgrade() throws Exception {
    // The origin does not switch protocols: its answer, with the headers it got, is relayed.
    RawHttp.Answer answer;
    try (Socket socket = TcpClients.connect(frontends.httpPort())) {
      answer =
          RawHttp.exchangeOne(
              socket,
              "GET /upgrade HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + HOP_BY_HOP_REQUEST_HEADERS.replace("close, X-Conn-Only", "Upgrade, X-Conn-Only")
                  + "\r\n");
    }
    JsonObject seen = new JsonObject(answer.body());

    assertThat(answer.status()).isEqualTo(200);
    assertNoHopByHopRequestHeaders(seen);
    assertThat(seen.getString("upgrade")).isEqualTo("websocket");
    assertThat(seen.getString("connection")).isEqualTo("Upgrade");
    assertThat(answer.headLowerCase())
        .doesNotContain("x-origin-conn", "keep-alive", "proxy-connection", "trailer")
        .contains("x-origin-end-to-end: kept");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/metrics",
        "/health/live",
        "/health/ready",
        "/./metrics",
        "//metrics",
        "/%6Detrics",
        "/METRICS",
        "/info/../metrics",
        "/metrics?name=x",
        "http://x/metrics"
      })
  void shouldAnswer404WithoutBackendWhenPathIsDeniedPublicly(String target) throws Exception {
    double before = frontends.rejections("public_deny");

    RawHttp.Answer answer =
        RawHttp.exchange(
            frontends.httpPort(),
            "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(originSaw).isEmpty();
    assertThat(frontends.rejections("public_deny")).isEqualTo(before + 1);
  }

  @Test
  void shouldKeepConnectionOpenAndProxyOtherPathsWhenAPathIsDenied() throws Exception {
    RawHttp.Answer answer =
        RawHttp.exchange(
            frontends.httpPort(),
            "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(answer.status()).isEqualTo(404);
    // Pipelined on the same connection: /health is not under /health/, so the origin answers it.
    assertThat(answer.text()).contains("HTTP/1.1 200 ");
    assertThat(originSaw).containsExactly("/health");
  }

  @Test
  void shouldProxyOperationalPathsWhenPublicDenyIsEmpty() throws Exception {
    try (Frontends open = new Frontends(Map.of("LB_PUBLIC_DENY", "", "LB_HEALTH_CHECKS", "off"))) {
      open.backendUp("origin-1", ServiceInstance.WS, originPort);

      RawHttp.Answer answer =
          RawHttp.exchange(
              open.httpPort(), "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

      assertThat(answer.status()).isEqualTo(200);
      assertThat(originSaw).containsExactly("/metrics");
    }
  }
}
