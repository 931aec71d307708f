package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.lb.conn.ConnectionQuery;
import io.roundhouse.lb.conn.ConnectionsView;
import io.roundhouse.lb.conn.KernelSocket;
import io.roundhouse.lb.conn.KernelSockets;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.testing.Eventually;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live connection list over real sockets: a TCP splice, an HTTP keep-alive connection, a
 * WebSocket tunnel and a UDP flow, each listed with both legs' 5-tuples as the kernel sees them,
 * its traffic and its event loop, and forgotten when it ends.
 */
class ConnectionListFrontendTest {

  private static Frontends frontends;
  private static int echoPort;
  private static int httpOriginPort;

  @BeforeAll
  static void start() {
    frontends = new Frontends(Map.of("LB_HEALTH_CHECKS", "false"));
    echoPort = frontends.echoOrigin(0).port();
    // The UDP frontend balances over echo backends on their TCP port number, as echo-service has.
    DatagramSocket udp = frontends.origins.createDatagramSocket();
    udp.handler(p -> udp.send(p.data(), p.sender().port(), p.sender().host()));
    udp.listen(echoPort, "127.0.0.1").timeout(10, TimeUnit.SECONDS).await();
    frontends.backendUp("echo-1", ServiceInstance.ECHO, echoPort);
    httpOriginPort =
        frontends.httpOrigin(
            req -> {
              if (req.path().equals("/ws-echo")) {
                req.toWebSocket().onSuccess(ws -> ws.handler(ws::write));
              } else {
                req.response().end("ok");
              }
            });
    frontends.backendUp("ws-1", ServiceInstance.WS, httpOriginPort);
  }

  @AfterAll
  static void stop() {
    if (frontends != null) {
      frontends.close();
    }
  }

  private static List<JsonObject> listed(Map<String, String> params) {
    ConnectionQuery query = ConnectionQuery.parse(params::get);
    return ConnectionsView.render("lb-test", frontends.counters.connections(), query)
        .getJsonArray("connections")
        .stream()
        .map(JsonObject.class::cast)
        .toList();
  }

  /** The entry whose client side is {@code clientPort}, if listed. */
  private static Optional<JsonObject> entry(String protocol, int clientPort) {
    Map<String, String> params = new HashMap<>(Map.of("protocol", protocol, "limit", "1000"));
    return listed(params).stream()
        .filter(
            c -> ("127.0.0.1:" + clientPort).equals(c.getJsonObject("inbound").getString("source")))
        .findFirst();
  }

  private static JsonObject awaitEntry(String protocol, int clientPort, long bytesEachWay) {
    Eventually.until(
        protocol + " client :" + clientPort + " listed with " + bytesEachWay + " B each way",
        () ->
            entry(protocol, clientPort)
                .filter(c -> c.getLong("bytesFromClient") == bytesEachWay)
                .filter(c -> c.getLong("bytesToClient") == bytesEachWay)
                .isPresent(),
        () -> listed(Map.of("limit", "1000")));
    return entry(protocol, clientPort).orElseThrow();
  }

  /** The outbound leg is a socket the kernel holds: the balancer's port toward the backend. */
  private static void assertKernelHolds(JsonObject outbound, int backendPort) {
    String source = outbound.getString("source");
    int port = Integer.parseInt(source.substring(source.lastIndexOf(':') + 1));
    List<KernelSocket> sockets = new KernelSockets(Path.of("/proc")).tcp();
    assertThat(sockets)
        .as("a kernel socket from :%d to :%d", port, backendPort)
        .anyMatch(
            s ->
                s.local().getPort() == port
                    && s.remote().getPort() == backendPort
                    && s.state().equals("ESTABLISHED"));
  }

  @Test
  void shouldListATcpSpliceWithBothLegsUntilItCloses() throws Exception {
    int clientPort;
    try (Socket client = new Socket("127.0.0.1", frontends.tcpPort())) {
      clientPort = client.getLocalPort();
      client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
      assertThat(client.getInputStream().readNBytes(5)).asString().isEqualTo("hello");

      JsonObject c = awaitEntry("tcp", clientPort, 5);
      assertThat(c.getString("frontend")).isEqualTo("tcp");
      assertThat(c.getString("service")).isEqualTo("echo");
      assertThat(c.getString("backend")).isEqualTo("echo-1");
      assertThat(c.getString("loop")).startsWith("vert.x-eventloop-thread-");
      assertThat(c.getJsonObject("inbound").getString("destination"))
          .isEqualTo("127.0.0.1:" + frontends.tcpPort());
      JsonObject outbound = c.getJsonObject("outbound");
      assertThat(outbound.getString("transport")).isEqualTo("tcp");
      assertThat(outbound.getString("destination")).isEqualTo("127.0.0.1:" + echoPort);
      assertKernelHolds(outbound, echoPort);
      assertThat(c.containsKey("requests")).as("requests are for HTTP").isFalse();
    }
    Eventually.until("the closed splice is forgotten", () -> entry("tcp", clientPort).isEmpty());
  }

  @Test
  void shouldCountRequestsOnAKeepAliveConnectionWhenAClientReusesIt() throws Exception {
    try (Socket client = new Socket("127.0.0.1", frontends.httpPort())) {
      for (int i = 0; i < 3; i++) {
        assertThat(RawHttp.get(client, "/")).startsWith("HTTP/1.1 200");
      }
      int clientPort = client.getLocalPort();
      Eventually.until(
          "3 requests counted",
          () -> entry("http", clientPort).filter(c -> c.getLong("requests") == 3).isPresent());
      JsonObject c = entry("http", clientPort).orElseThrow();
      assertThat(c.getString("backend")).isEqualTo("ws-1");
      assertThat(c.getLong("bytesFromClient")).isPositive();
      assertThat(c.getLong("bytesToClient")).isPositive();
      assertThat(c.getJsonObject("outbound").getString("destination"))
          .as("pooled: the backend, but no socket of its own")
          .isEqualTo("127.0.0.1:" + httpOriginPort);
      assertThat(c.getJsonObject("outbound").getString("source")).isNull();
    }
  }

  @Test
  void shouldShowAnUpgradedConnectionAsAWebSocketTunnelWhenTheBackendSwitches() {
    WebSocketClient ws = frontends.origins.createWebSocketClient();
    try {
      WebSocket socket =
          ws.connect(
                  new WebSocketConnectOptions()
                      .setHost("127.0.0.1")
                      .setPort(frontends.httpPort())
                      .setURI("/ws-echo"))
              .timeout(10, TimeUnit.SECONDS)
              .await();
      int clientPort = socket.localAddress().port();
      Eventually.until(
          "the tunnel listed",
          () ->
              entry("websocket", clientPort)
                  .filter(
                      c ->
                          c.getValue("outbound") != null
                              && c.getJsonObject("outbound").getString("source") != null)
                  .isPresent());
      JsonObject c = entry("websocket", clientPort).orElseThrow();
      assertThat(c.getString("frontend")).isEqualTo("http");
      assertThat(c.getLong("requests")).isEqualTo(1);
      assertThat(c.getJsonObject("outbound").getString("destination"))
          .isEqualTo("127.0.0.1:" + httpOriginPort);
      assertKernelHolds(c.getJsonObject("outbound"), httpOriginPort);
      long before = c.getLong("bytesFromClient");
      socket.writeTextMessage("ping").timeout(10, TimeUnit.SECONDS).await();
      Eventually.until(
          "the frame counted",
          () ->
              entry("websocket", clientPort)
                  .filter(e -> e.getLong("bytesFromClient") > before)
                  .isPresent());
      socket.close().timeout(10, TimeUnit.SECONDS).await();
      Eventually.until("the tunnel forgotten", () -> entry("websocket", clientPort).isEmpty());
    } finally {
      ws.close();
    }
  }

  @Test
  void shouldListAUdpFlowWithItsOutboundSocketWhenAClientSends() throws Exception {
    try (java.net.DatagramSocket client =
        new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      client.setSoTimeout(10_000);
      byte[] payload = "ping".getBytes(StandardCharsets.US_ASCII);
      client.send(
          new DatagramPacket(
              payload,
              payload.length,
              new InetSocketAddress(InetAddress.getLoopbackAddress(), frontends.udpPort())));
      byte[] buffer = new byte[64];
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      client.receive(reply);
      assertThat(new String(buffer, 0, reply.getLength(), StandardCharsets.US_ASCII))
          .isEqualTo("ping");

      JsonObject c = awaitEntry("udp", client.getLocalPort(), 4);
      assertThat(c.getString("frontend")).isEqualTo("udp");
      assertThat(c.getString("backend")).isEqualTo("echo-1");
      assertThat(c.getJsonObject("inbound").getString("transport")).isEqualTo("udp");
      assertThat(c.getJsonObject("inbound").getString("destination"))
          .isEqualTo("127.0.0.1:" + frontends.udpPort());
      assertThat(c.getJsonObject("outbound").getString("destination"))
          .isEqualTo("127.0.0.1:" + echoPort);
      assertThat(c.getJsonObject("outbound").getString("source")).matches("127\\.0\\.0\\.1:\\d+");
    }
  }

  @Test
  void shouldFilterByFrontendAndAgeWhenAsked() throws Exception {
    try (Socket client = new Socket("127.0.0.1", frontends.tcpPort())) {
      client.getOutputStream().write('x');
      assertThat(client.getInputStream().read()).isEqualTo('x');
      awaitEntry("tcp", client.getLocalPort(), 1);
      assertThat(listed(Map.of("frontend", "tcp")))
          .isNotEmpty()
          .allMatch(c -> c.getString("frontend").equals("tcp"));
      assertThat(listed(Map.of("frontend", "tcp", "minAge", "1h"))).isEmpty();
      assertThat(listed(Map.of("backend", "echo-1", "service", "echo"))).isNotEmpty();
      assertThat(listed(Map.of("backend", "nobody"))).isEmpty();
      assertThat(frontends.counters.connections().acceptsPerLoop().values())
          .as("accepts per event loop")
          .anyMatch(n -> n > 0);
    }
  }
}
