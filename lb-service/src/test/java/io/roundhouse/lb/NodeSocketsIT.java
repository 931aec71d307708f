package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each backend's own side of the connections the balancer holds to it, as the admin API shows it:
 * real echo and ws nodes with two listener loops each report their connections per event loop and
 * their process's fds, and the balancer serves them over HTTP beside its own counts.
 */
class NodeSocketsIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int TCP_CLIENTS = 6;
  private static final int WS_CLIENTS = 4;

  private ClusterFixture fixture;
  private final List<Socket> sockets = new ArrayList<>();
  private final List<WebSocket> webSockets = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (WebSocket ws : webSockets) {
      ws.abort();
    }
    for (Socket s : sockets) {
      s.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void shouldShowEachNodesLoopsSummingToItsReportAndItsFdsWhenClientsHoldConnections()
      throws Exception {
    fixture = new ClusterFixture();
    fixture.echo("echo-1", Map.of("ECHO_INSTANCES", "2"));
    fixture.ws("ws-1", Map.of("WS_INSTANCES", "2"));
    LbService lb = fixture.lb();
    fixture.awaitNodes(lb, "echo", n -> n.size() == 1);
    fixture.awaitNodes(lb, "ws", n -> n.size() == 1);

    for (int i = 0; i < TCP_CLIENTS; i++) {
      Socket s = TcpClients.connect(lb.tcpPort());
      TcpClients.roundTrip(s, "loop " + i);
      sockets.add(s);
    }
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < WS_CLIENTS; i++) {
      webSockets.add(
          http.newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + lb.httpPort() + "/ws"),
                  new WebSocket.Listener() {})
              .get(20, TimeUnit.SECONDS));
    }

    JsonObject echo = awaitBothEnds(lb, "/api/nodes", "echo-1", TCP_CLIENTS);
    JsonObject ws = awaitBothEnds(lb, "/api/nodes", "ws-1", WS_CLIENTS);

    for (JsonObject node : List.of(echo, ws)) {
      JsonArray loops = node.getJsonArray("reportedLoops");
      assertThat(loops).as("both listener loops of %s accepted", node.getString("id")).hasSize(2);
      assertThat(sum(loops, "active")).isEqualTo(node.getLong("reportedActiveConnections"));
      assertThat(sum(loops, "total")).isEqualTo(node.getLong("reportedTotalConnections"));
      assertThat(loops(loops).map(l -> l.getString("thread")))
          .allMatch(t -> t.startsWith("vert.x-eventloop-thread-"));
      JsonObject fds = node.getJsonObject("reportedFds");
      assertThat(fds.getLong("open")).isPositive().isLessThanOrEqualTo(fds.getLong("max"));
    }
    JsonObject sampled = awaitBothEnds(lb, "/api/stats", "echo-1", TCP_CLIENTS);
    assertThat(sum(sampled.getJsonArray("reportedLoops"), "active")).isEqualTo(TCP_CLIENTS);
    assertThat(sampled.getJsonObject("reportedFds").getLong("open")).isPositive();

    JsonObject backend = awaitSocketsRow(lb, "echo-1");
    JsonObject reported = backend.getJsonObject("reported");
    assertThat(backend.getLong("liveLegs")).isEqualTo(TCP_CLIENTS);
    assertThat(reported.getLong("activeConnections")).isEqualTo(TCP_CLIENTS);
    assertThat(sum(reported.getJsonArray("loops"), "active")).isEqualTo(TCP_CLIENTS);
    JsonObject fds = reported.getJsonObject("fds");
    assertThat(fds.getLong("open")).isPositive().isLessThanOrEqualTo(fds.getLong("max"));
  }

  /**
   * Waits for a response in which the balancer and the node both count {@code held} and the node's
   * loops add up to its own count (a health check's connection may be open for an instant, and a
   * report is taken a count at a time); returns that node's entry of that very response.
   */
  private JsonObject awaitBothEnds(LbService lb, String path, String id, int held) {
    AtomicReference<JsonObject> shown = new AtomicReference<>();
    Eventually.until(
        WAIT,
        id + " counted " + held + " from both ends, its loops adding up, in " + path,
        () -> {
          JsonObject node = node(fixture.get(lb.adminPort(), path), id);
          shown.set(node);
          return node != null
              && node.getLong("activeConnections") == held
              && Long.valueOf(held).equals(node.getLong("reportedActiveConnections"))
              && node.getJsonArray("reportedLoops") != null
              && sum(node.getJsonArray("reportedLoops"), "active") == held
              && sum(node.getJsonArray("reportedLoops"), "total")
                  == node.getLong("reportedTotalConnections");
        },
        shown::get);
    return shown.get();
  }

  private JsonObject awaitSocketsRow(LbService lb, String id) {
    AtomicReference<JsonObject> shown = new AtomicReference<>();
    Eventually.until(
        WAIT,
        id + "'s own report beside our legs in /api/sockets",
        () -> {
          JsonObject row =
              loops(
                      fixture
                          .get(lb.adminPort(), "/api/sockets")
                          .getJsonObject("ephemeral")
                          .getJsonArray("perBackend"))
                  .filter(b -> id.equals(b.getString("backend")))
                  .findFirst()
                  .orElse(null);
          shown.set(row);
          JsonObject reported = row == null ? null : row.getJsonObject("reported");
          return reported != null
              && reported.getLong("activeConnections") == TCP_CLIENTS
              && sum(reported.getJsonArray("loops"), "active") == TCP_CLIENTS;
        },
        shown::get);
    return shown.get();
  }

  private static JsonObject node(JsonObject response, String id) {
    return loops(response.getJsonArray("nodes"))
        .filter(n -> id.equals(n.getString("id")))
        .findFirst()
        .orElse(null);
  }

  private static Stream<JsonObject> loops(JsonArray array) {
    return array.stream().map(JsonObject.class::cast);
  }

  private static long sum(JsonArray loops, String field) {
    return loops(loops).mapToLong(l -> l.getLong(field)).sum();
  }
}
