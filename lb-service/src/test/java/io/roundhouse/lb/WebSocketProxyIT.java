package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The L7 path: WebSocket and HTTP clients through the balancer to three ws-service members. */
class WebSocketProxyIT {

  private static ClusterFixture fixture;
  private static LbService lb;
  private static WebSocketClient wsClient;

  @BeforeAll
  static void startCluster() {
    fixture = new ClusterFixture();
    for (int i = 1; i <= 3; i++) {
      fixture.ws("ws-" + i);
    }
    lb = fixture.lb();
    fixture.awaitNodes(lb, "ws", nodes -> nodes.size() == 3);
    wsClient = fixture.clients.createWebSocketClient();
  }

  @AfterAll
  static void stopCluster() {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** A connected WebSocket and the node named in its welcome frame. */
  record Session(WebSocket socket, String node, LinkedBlockingQueue<Buffer> received) {}

  private static Session open(String uri) throws InterruptedException {
    LinkedBlockingQueue<Buffer> received = new LinkedBlockingQueue<>();
    Promise<String> welcome = Promise.promise();
    // Handlers are in place before the handshake: the welcome frame can share a read with the 101.
    ClientWebSocket socket = wsClient.webSocket();
    socket.handler(
        frame -> {
          if (!welcome.future().isComplete()) {
            welcome.complete(new JsonObject(frame).getString("node"));
          } else {
            received.add(frame);
          }
        });
    socket
        .connect(
            new WebSocketConnectOptions().setHost("127.0.0.1").setPort(lb.httpPort()).setURI(uri))
        .timeout(20, TimeUnit.SECONDS)
        .await();
    String node = welcome.future().timeout(20, TimeUnit.SECONDS).await();
    return new Session(socket, node, received);
  }

  @Test
  void shouldSpreadWebSocketsWithinOneOfFairShareWhenThreeWsBackendsAreLive() throws Exception {
    List<Session> sessions = new ArrayList<>();
    Map<String, Integer> perNode = new HashMap<>();
    try {
      for (int i = 0; i < 30; i++) {
        Session s = open("/ws");
        sessions.add(s);
        perNode.merge(s.node(), 1, Integer::sum);
      }
      assertThat(perNode).hasSize(3);
      perNode.values().forEach(count -> assertThat(count).isBetween(9, 11));
      fixture.awaitNodes(
          lb,
          "ws",
          nodes ->
              nodes.values().stream()
                  .allMatch(
                      n ->
                          n.getLong("activeConnections")
                                  == perNode.get(n.getString("id")).longValue()
                              && Long.valueOf(perNode.get(n.getString("id")))
                                  .equals(n.getLong("reportedActiveConnections"))));
    } finally {
      sessions.forEach(s -> s.socket().close());
    }
  }

  @Test
  void shouldEchoMultiMegabyteBinaryByteExactThroughTheBalancer() throws Exception {
    Session session = open("/ws");
    byte[] payload = new byte[4 * 1024 * 1024];
    new Random(11).nextBytes(payload);
    int chunk = 60 * 1024;
    for (int off = 0; off < payload.length; off += chunk) {
      session
          .socket()
          .writeBinaryMessage(
              Buffer.buffer(
                  java.util.Arrays.copyOfRange(
                      payload, off, Math.min(payload.length, off + chunk))));
    }
    Buffer echoed = Buffer.buffer();
    while (echoed.length() < payload.length) {
      Buffer next = session.received().poll(20, TimeUnit.SECONDS);
      assertThat(next).as("echo after %d bytes", echoed.length()).isNotNull();
      echoed.appendBuffer(next);
    }
    assertThat(echoed.getBytes()).isEqualTo(payload);
    session.socket().close().timeout(30, TimeUnit.SECONDS).await();
  }

  @Test
  void shouldDeliverRoomMessageAcrossNodesWhenClientsLandOnDifferentNodes() throws Exception {
    Session alice = open("/ws/room/lobby");
    Session bob = open("/ws/room/lobby");
    // Round-robin puts consecutive connections on different nodes.
    assertThat(alice.node()).isNotEqualTo(bob.node());

    alice
        .socket()
        .writeTextMessage("hello from " + alice.node())
        .timeout(30, TimeUnit.SECONDS)
        .await();

    Buffer atBob = bob.received().poll(10, TimeUnit.SECONDS);
    Buffer atAlice = alice.received().poll(10, TimeUnit.SECONDS);
    assertThat(atBob).isNotNull();
    assertThat(atBob.toString()).isEqualTo("hello from " + alice.node());
    assertThat(atAlice).isNotNull();
    assertThat(atAlice.toString()).isEqualTo("hello from " + alice.node());
    alice.socket().close();
    bob.socket().close();
  }

  @Test
  void shouldRelayCloseCodeWhenBackendClosesForOversizedMessage() throws Exception {
    Session session = open("/ws");
    Promise<Short> closed = Promise.promise();
    session.socket().closeHandler(v -> closed.tryComplete(session.socket().closeStatusCode()));
    // Larger than ws-service's default maximum message size (1 MiB), sent as one fragmented
    // message.
    byte[] big = new byte[2 * 1024 * 1024];
    session.socket().writeBinaryMessage(Buffer.buffer(big));

    Short code = closed.future().timeout(30, TimeUnit.SECONDS).await();
    assertThat(code).isEqualTo((short) 1009);
  }

  @Test
  void shouldSpreadKeepAliveHttpRequestsAcrossNodesWhenProxyingInfo() {
    Map<String, Integer> perNode = new HashMap<>();
    for (int i = 0; i < 12; i++) {
      TestClients.Reply reply = fixture.http(lb.httpPort(), "/info");
      assertThat(reply.status()).isEqualTo(200);
      perNode.merge(reply.json().getString("node"), 1, Integer::sum);
    }
    assertThat(perNode).hasSize(3);
    perNode.values().forEach(count -> assertThat(count).isEqualTo(4));
    // The keep-alive client connection stays open between requests.
    JsonObject frontends = fixture.get(lb.adminPort(), "/api/frontends");
    assertThat(frontends.getJsonObject("http").getLong("active")).isGreaterThanOrEqualTo(1);
  }
}
