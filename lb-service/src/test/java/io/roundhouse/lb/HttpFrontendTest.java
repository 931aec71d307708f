package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.testing.Eventually;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plain HTTP and WebSocket upgrades through the HTTP frontend to an origin that shows what it
 * received: the fast tier, no cluster.
 */
class HttpFrontendTest {

  private static Frontends frontends;
  private static final Set<Integer> backendSeenPorts = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() {
    frontends =
        new Frontends(
            Map.of(
                "LB_BACKEND_TIMEOUT", "700ms",
                "LB_POOL_SIZE", "4",
                "LB_TUNNEL_IDLE_TIMEOUT", "1s"));
    int port =
        frontends.httpOrigin(
            req -> {
              backendSeenPorts.add(req.remoteAddress().port());
              switch (req.path()) {
                case "/slow" -> {
                  // Never answers.
                }
                case "/reset" -> req.connection().close();
                case "/ws-echo" -> req.toWebSocket().onSuccess(ws -> ws.handler(ws::write));
                case "/refuse" ->
                    req.response()
                        .setStatusCode(403)
                        .putHeader("X-Refused-By", "http-1")
                        .end("not in this room");
                default -> {
                  JsonObject headers = new JsonObject();
                  req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                  req.response()
                      .putHeader("Content-Type", "application/json")
                      .end(headers.encode());
                }
              }
            });
    frontends.backendUp("http-1", ServiceInstance.WS, port);
  }

  @AfterAll
  static void stop() {
    if (frontends != null) {
      frontends.close();
    }
  }

  private static TestClients.Reply get(String path) {
    return frontends.clients.http(frontends.httpPort(), path, "X-Forwarded-For", "203.0.113.9");
  }

  private static void awaitBackendReleased() {
    Eventually.until(
        Duration.ofSeconds(20),
        "the backend's count is released",
        () -> frontends.active(ServiceInstance.WS, "http-1") == 0);
  }

  @Test
  void shouldAddForwardedHeadersWhenProxyingToBackend() {
    TestClients.Reply response = get("/headers");
    JsonObject seen = response.json();

    assertThat(response.status()).isEqualTo(200);
    assertThat(seen.getString("x-forwarded-for")).isEqualTo("203.0.113.9, 127.0.0.1");
    assertThat(seen.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(seen.getString("x-forwarded-host")).isEqualTo("127.0.0.1:" + frontends.httpPort());
    assertThat(seen.getString("forwarded"))
        .isEqualTo("for=127.0.0.1;proto=http;host=\"127.0.0.1:" + frontends.httpPort() + "\"");
  }

  @Test
  void shouldReusePooledBackendConnectionsWhenRequestsAreSequential() {
    backendSeenPorts.clear();
    for (int i = 0; i < 20; i++) {
      assertThat(get("/headers").status()).isEqualTo(200);
    }
    // Twenty requests, at most a pool's worth of backend connections.
    assertThat(backendSeenPorts).hasSizeLessThanOrEqualTo(4);
  }

  @Test
  void shouldAnswer504WhenBackendDoesNotAnswerInTime() {
    TestClients.Reply response = get("/slow");

    assertThat(response.status()).isEqualTo(504);
    assertThat(response.body()).contains("Gateway Timeout");
  }

  @Test
  void shouldAnswer502WhenBackendDropsTheConnection() {
    TestClients.Reply response = get("/reset");

    assertThat(response.status()).isEqualTo(502);
    assertThat(response.body()).contains("Bad Gateway");
  }

  @Test
  void shouldAnswer400AndKeepServingWhenRequestIsMalformed() throws Exception {
    try (Socket socket = TcpClients.connect(frontends.httpPort())) {
      socket.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).matches("(?s)HTTP/1\\.[01] 400 .*");
    }
    assertThat(get("/headers").status()).isEqualTo(200);
  }

  private static UpgradeRejectedException rejectedUpgrade(String path) {
    return frontends.clients.rejectedUpgrade(frontends.httpPort(), path);
  }

  private static double websocketErrors(int status) {
    return frontends.gatewayErrors("websocket", status);
  }

  @Test
  void shouldAnswer504AndCountItWhenBackendNeverAnswersTheUpgrade() {
    double before = websocketErrors(504);

    UpgradeRejectedException rejected = rejectedUpgrade("/slow");

    assertThat(rejected.getStatus()).isEqualTo(504);
    assertThat(rejected.getBody().toString()).contains("Gateway Timeout");
    assertThat(websocketErrors(504)).isEqualTo(before + 1);
    // The backend's count is released with the abandoned upgrade.
    awaitBackendReleased();
  }

  @Test
  void shouldAnswer502WhenBackendClosesDuringTheUpgrade() {
    double before = websocketErrors(502);

    UpgradeRejectedException rejected = rejectedUpgrade("/reset");

    assertThat(rejected.getStatus()).isEqualTo(502);
    assertThat(websocketErrors(502)).isEqualTo(before + 1);
  }

  @Test
  void shouldRelayBackendRefusalAsIsWhenItDoesNotSwitchProtocols() {
    UpgradeRejectedException rejected = rejectedUpgrade("/refuse");

    assertThat(rejected.getStatus()).isEqualTo(403);
    assertThat(rejected.getHeaders().get("X-Refused-By")).isEqualTo("http-1");
    assertThat(rejected.getBody().toString()).isEqualTo("not in this room");
  }

  @Test
  void shouldAddForwardedHeadersToTheUpgradeWhenTunnelling() {
    // The origin answers anything it does not know with the headers it received, as JSON.
    JsonObject seen = new JsonObject(rejectedUpgradeBody("/upgrade-headers"));

    assertThat(seen.getString("upgrade")).isEqualToIgnoringCase("websocket");
    assertThat(seen.getString("connection")).isEqualToIgnoringCase("upgrade");
    assertThat(seen.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(seen.getString("forwarded"))
        .isEqualTo("for=127.0.0.1;proto=http;host=\"127.0.0.1:" + frontends.httpPort() + "\"");
  }

  private static String rejectedUpgradeBody(String path) {
    UpgradeRejectedException rejected = rejectedUpgrade(path);
    assertThat(rejected.getStatus()).isEqualTo(200);
    return rejected.getBody().toString();
  }

  @Test
  void shouldCloseAnIdleTunnelWhenTheTunnelIdleTimeoutPasses() {
    WebSocketClient client = frontends.origins.createWebSocketClient();
    try {
      Promise<Buffer> echo = Promise.promise();
      Promise<Void> closed = Promise.promise();
      ClientWebSocket socket = client.webSocket();
      socket.handler(echo::tryComplete);
      socket.closeHandler(v -> closed.tryComplete());
      socket
          .connect(
              new WebSocketConnectOptions()
                  .setHost("127.0.0.1")
                  .setPort(frontends.httpPort())
                  .setURI("/ws-echo"))
          .timeout(30, TimeUnit.SECONDS)
          .await();
      socket.writeTextMessage("still here");
      assertThat(echo.future().timeout(30, TimeUnit.SECONDS).await().toString())
          .isEqualTo("still here");

      // Nothing more is sent either way: the balancer's 1 s idle timeout closes the tunnel.
      closed.future().timeout(30, TimeUnit.SECONDS).await();
      awaitBackendReleased();
    } finally {
      client.close();
    }
  }

  @Test
  void shouldGiveBackTheConnectionsPlacesWhenATunnelEnds() {
    long httpBefore = frontends.counters.http().active();
    int openBefore = frontends.limits.http().open();
    WebSocketClient client = frontends.origins.createWebSocketClient();
    try {
      Promise<Buffer> echo = Promise.promise();
      ClientWebSocket socket = client.webSocket();
      socket.handler(echo::tryComplete);
      socket
          .connect(
              new WebSocketConnectOptions()
                  .setHost("127.0.0.1")
                  .setPort(frontends.httpPort())
                  .setURI("/ws-echo"))
          .timeout(30, TimeUnit.SECONDS)
          .await();
      socket.writeTextMessage("counted");
      echo.future().timeout(30, TimeUnit.SECONDS).await();
      assertThat(frontends.counters.webSocket().active()).isEqualTo(1);
      assertThat(frontends.counters.http().active()).isGreaterThan(httpBefore);
      assertThat(frontends.limits.http().open()).isGreaterThan(openBefore);

      // The tunnel's channel left Vert.x at the upgrade: its close must still be accounted.
      socket.close().timeout(30, TimeUnit.SECONDS).await();
      Eventually.until(
          Duration.ofSeconds(20),
          "the tunnel's connection is counted closed and its place under the cap given back",
          () ->
              frontends.counters.webSocket().active() == 0
                  && frontends.counters.http().active() <= httpBefore
                  && frontends.limits.http().open() <= openBefore);
      awaitBackendReleased();
    } finally {
      client.close();
    }
  }
}
