package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.echo.EchoService;
import io.roundhouse.testing.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/connections} and {@code /api/sockets} on a real balancer's admin port, with real
 * echo-service members: a client's own connection shows with its own ports, and the kernel's view
 * of the listening port counts it.
 */
class ConnectionsApiIT {

  private static ClusterFixture fixture;
  private static LbService lb;
  private static EchoService echo;

  @BeforeAll
  static void startCluster() {
    fixture = new ClusterFixture();
    echo = fixture.echo("echo-1");
    lb = fixture.lb(Map.of());
    fixture.awaitNodes(lb, "echo", nodes -> nodes.size() == 1);
  }

  @AfterAll
  static void stopCluster() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static Optional<JsonObject> listed(int clientPort) {
    JsonArray rows =
        fixture
            .get(lb.adminPort(), "/api/connections?protocol=tcp&limit=1000")
            .getJsonArray("connections");
    return rows.stream()
        .map(JsonObject.class::cast)
        .filter(
            c -> ("127.0.0.1:" + clientPort).equals(c.getJsonObject("inbound").getString("source")))
        .findFirst();
  }

  @Test
  void shouldShowAClientsOwnConnectionWithItsPortsWhenItConnectsThroughTheBalancer()
      throws Exception {
    try (Socket client = new Socket("127.0.0.1", lb.tcpPort())) {
      client.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
      assertThat(client.getInputStream().readNBytes(3)).asString().isEqualTo("abc");
      int clientPort = client.getLocalPort();
      Eventually.until(
          "the connection listed with 3 B each way",
          () -> listed(clientPort).filter(c -> c.getLong("bytesToClient") == 3).isPresent());
      JsonObject row = listed(clientPort).orElseThrow();
      assertThat(row.getString("backend")).isEqualTo("echo-1");
      assertThat(row.getJsonObject("inbound").getString("destination"))
          .endsWith(":" + lb.tcpPort());
      assertThat(row.getJsonObject("outbound").getString("destination"))
          .isEqualTo("127.0.0.1:" + echo.port());

      JsonObject sockets = fixture.get(lb.adminPort(), "/api/sockets");
      JsonObject tcp =
          sockets.getJsonArray("listeners").stream()
              .map(JsonObject.class::cast)
              .filter(l -> l.getString("frontend").equals("tcp"))
              .findFirst()
              .orElseThrow();
      assertThat(tcp.getLong("connections")).isPositive();
      assertThat(tcp.getLong("listeningSockets"))
          .as("one listening socket per event loop, sharing the port")
          .isGreaterThanOrEqualTo(tcp.getLong("sockets"));
      assertThat(tcp.getJsonObject("connectedSockets").getLong("ESTABLISHED", 0L)).isPositive();
      JsonObject perBackend =
          sockets.getJsonObject("ephemeral").getJsonArray("perBackend").stream()
              .map(JsonObject.class::cast)
              .filter(b -> b.getString("backend").equals("echo-1"))
              .findFirst()
              .orElseThrow();
      assertThat(perBackend.getLong("sockets")).isPositive();
      assertThat(perBackend.getLong("liveLegs")).isPositive();
      assertThat(sockets.getJsonObject("fds").getLong("open"))
          .isPositive()
          .isLessThanOrEqualTo(sockets.getJsonObject("fds").getLong("limit"));
      assertThat(sockets.getJsonArray("loops")).isNotEmpty();
    }
  }

  @Test
  void shouldAnswer400NamingTheParameterWhenAQueryIsBad() {
    TestClients.Reply reply = fixture.http(lb.adminPort(), "/api/connections?limit=many");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getString("error")).contains("limit");
  }
}
