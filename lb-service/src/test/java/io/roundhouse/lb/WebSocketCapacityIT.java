package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * WebSocket tunnels are not bounded by any HTTP pool: thousands through one balancer process to two
 * ws-service processes, round after round, with clients that leave mid-upgrade, and nothing leaks
 * (fds, counts) or escapes to the event loop.
 */
@TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
class WebSocketCapacityIT {

  private static final int TUNNELS = 3_000;
  private static final int HANDSHAKES_AT_ONCE = 200;
  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final String UPGRADE =
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

  private static ClusterFixture fixture;
  private static final List<ServiceProcess> processes = new ArrayList<>();
  private static ServiceProcess lb;
  private static int httpPort;
  private static int adminPort;
  private static WebSocketClient client;
  private static long baselineFds;

  @BeforeAll
  static void startCluster() throws Exception {
    fixture = new ClusterFixture();
    for (String id : List.of("ws-1", "ws-2")) {
      processes.add(
          ServiceProcess.start(
              "roundhouse.ws.jar",
              id,
              fixture.settings(id, Map.of("WS_PORT", "0", "WS_INSTANCES", "1"))));
    }
    lb =
        ServiceProcess.start(
            "roundhouse.lb.jar",
            "lb-1",
            fixture.settings(
                "lb-1",
                Map.of(
                    "LB_HOST", "127.0.0.1",
                    "LB_TCP_PORT", "0",
                    "LB_HTTP_PORT", "0",
                    "LB_ADMIN_PORT", "0",
                    "LB_INSTANCES", "2")));
    processes.add(lb);
    Map<String, Integer> ports = lb.awaitPorts(STARTUP);
    httpPort = ports.get("http");
    adminPort = ports.get("admin");
    client =
        fixture.clients.createWebSocketClient(
            new WebSocketClientOptions().setMaxConnections(TUNNELS * 2));
    Eventually.until(STARTUP, "the balancer lists both ws nodes", () -> wsNodes().size() == 2);
    // One small round first, so that the baseline holds what the first tunnels open for good.
    closeAll(openAll(20));
    awaitSettled();
    baselineFds = lb.openFds();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (ServiceProcess p : processes) {
      p.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  /** A tunnel through the balancer: its socket, the node that welcomed it, and its next echo. */
  record Tunnel(ClientWebSocket socket, String node, Future<String> echo) {}

  private static Future<Tunnel> open() {
    ClientWebSocket socket = client.webSocket();
    Promise<String> welcome = Promise.promise();
    Promise<String> echo = Promise.promise();
    // In place before the handshake: the welcome frame may share a read with the 101.
    socket.handler(
        frame -> {
          if (!welcome.future().isComplete()) {
            welcome.complete(new JsonObject(frame).getString("node"));
          } else {
            echo.tryComplete(frame.toString());
          }
        });
    return socket
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(httpPort).setURI("/ws"))
        .compose(v -> welcome.future())
        .map(node -> new Tunnel(socket, node, echo.future()));
  }

  /** Opens {@code count} tunnels, at most {@link #HANDSHAKES_AT_ONCE} handshakes at a time. */
  private static List<Tunnel> openAll(int count) {
    List<Tunnel> tunnels = new ArrayList<>();
    while (tunnels.size() < count) {
      List<Future<Tunnel>> batch = new ArrayList<>();
      for (int i = 0; i < Math.min(HANDSHAKES_AT_ONCE, count - tunnels.size()); i++) {
        batch.add(open());
      }
      Future.all(batch).timeout(60, TimeUnit.SECONDS).await();
      batch.forEach(f -> tunnels.add(f.result()));
    }
    return tunnels;
  }

  private static void closeAll(List<Tunnel> tunnels) {
    Future.join(tunnels.stream().map(t -> t.socket().close()).toList())
        .timeout(60, TimeUnit.SECONDS)
        .await();
  }

  private static Map<String, JsonObject> wsNodes() {
    Map<String, JsonObject> out = new TreeMap<>();
    fixture.get(adminPort, "/api/nodes").getJsonArray("nodes").stream()
        .map(JsonObject.class::cast)
        .filter(n -> "ws".equals(n.getString("service")))
        .forEach(n -> out.put(n.getString("id"), n));
    return out;
  }

  private static long activeTunnels() {
    return fixture.get(adminPort, "/api/frontends").getJsonObject("webSocket").getLong("active");
  }

  /** No tunnel left open, as the balancer and each backend count, and every fd given back. */
  private static void awaitSettled() {
    Eventually.until(
        SETTLE,
        "every tunnel is closed and uncounted",
        () ->
            activeTunnels() == 0
                && wsNodes().values().stream()
                    .allMatch(
                        n ->
                            n.getLong("activeConnections") == 0
                                && Long.valueOf(0).equals(n.getLong("reportedActiveConnections"))));
  }

  private static void awaitBaselineFds() {
    Eventually.until(
        SETTLE,
        "the balancer holds no more fds than at the baseline",
        () -> lb.openFds() <= baselineFds);
  }

  private static void assertNoUnhandledExceptions() throws IOException {
    for (ServiceProcess p : processes) {
      assertThat(p.log()).as("log of %s", p.nodeId()).doesNotContain("Unhandled exception");
    }
  }

  private static void roundOfTunnels() throws IOException {
    List<Tunnel> tunnels = openAll(TUNNELS);
    try {
      Map<String, Integer> perNode = new TreeMap<>();
      tunnels.forEach(t -> perNode.merge(t.node(), 1, Integer::sum));
      assertThat(perNode).containsOnlyKeys("ws-1", "ws-2");
      perNode.values().forEach(n -> assertThat(n).isBetween(TUNNELS / 2 - 1, TUNNELS / 2 + 1));
      assertThat(activeTunnels()).isEqualTo(TUNNELS);
      assertThat(lb.openFds()).isGreaterThanOrEqualTo(baselineFds + 2L * TUNNELS);

      for (int i = 0; i < tunnels.size(); i++) {
        tunnels.get(i).socket().writeTextMessage("echo " + i);
      }
      for (int i = 0; i < tunnels.size(); i++) {
        assertThat(tunnels.get(i).echo().timeout(30, TimeUnit.SECONDS).await())
            .isEqualTo("echo " + i);
      }
    } finally {
      closeAll(tunnels);
    }
    awaitSettled();
    awaitBaselineFds();
  }

  @Test
  void shouldHoldThreeThousandTunnelsTwiceOverWhenAllCloseBetweenRounds() throws Exception {
    roundOfTunnels();
    roundOfTunnels();
    assertNoUnhandledExceptions();
  }

  /** How a client leaves its upgrade: each ends at another point of it. */
  private static void abandonUpgrade(Socket socket, int how) throws IOException {
    OutputStream out = socket.getOutputStream();
    byte[] request = UPGRADE.getBytes(StandardCharsets.US_ASCII);
    switch (how) {
      case 0 -> out.write(request, 0, request.length / 2); // mid-request
      case 1 -> out.write(request); // FIN right after the request
      case 2 -> {
        out.write(request);
        socket.setSoLinger(true, 0); // RST right after the request
      }
      default -> {
        out.write(request);
        InputStream in = socket.getInputStream();
        socket.setSoTimeout(30_000);
        int first = in.read(); // the 101 (and perhaps the welcome) has arrived
        assertThat(first).isEqualTo('H');
        socket.setSoLinger(true, 0);
      }
    }
  }

  @Test
  void shouldLeakNothingWhenClientsCloseDuringTheUpgradeInBursts() throws Exception {
    for (int burst = 0; burst < 5; burst++) {
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < 100; i++) {
          sockets.add(TcpClients.connect(httpPort));
        }
        for (int i = 0; i < sockets.size(); i++) {
          abandonUpgrade(sockets.get(i), (i + burst) % 4);
        }
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }

    awaitSettled();
    awaitBaselineFds();
    assertNoUnhandledExceptions();
    // And the balancer still serves.
    List<Tunnel> after = openAll(2);
    assertThat(after).extracting(Tunnel::node).containsExactlyInAnyOrder("ws-1", "ws-2");
    closeAll(after);
  }
}
