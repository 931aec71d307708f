package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.Eventually;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The L4 path: TCP clients through the balancer to three echo-service members. */
class TcpProxyIT {

  private static ClusterFixture fixture;
  private static LbService lb;

  @BeforeAll
  static void startCluster() {
    fixture = new ClusterFixture();
    for (int i = 1; i <= 3; i++) {
      fixture.echo("echo-" + i);
    }
    lb = fixture.lb();
    fixture.awaitNodes(lb, "echo", nodes -> nodes.size() == 3);
  }

  @AfterAll
  static void stopCluster() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void shouldSpreadConnectionsWithinOneOfFairShareWhenThreeEchoBackendsAreLive() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 30; i++) {
        Socket socket = TcpClients.connect(lb.tcpPort());
        TcpClients.roundTrip(socket, "hello " + i);
        sockets.add(socket);
      }
      fixture.awaitNodes(
          lb,
          "echo",
          nodes ->
              nodes.values().stream().mapToLong(n -> n.getLong("activeConnections")).sum() == 30);
      Map<String, JsonObject> nodes = fixture.nodesOf(lb, "echo");
      assertThat(nodes).hasSize(3);
      nodes.values().forEach(n -> assertThat(n.getLong("activeConnections")).isBetween(9L, 11L));
      // Each node's own report agrees with what the balancer holds open to it.
      fixture.awaitNodes(
          lb,
          "echo",
          ns ->
              ns.values().stream()
                  .allMatch(
                      n ->
                          n.getLong("reportedActiveConnections") != null
                              && n.getLong("reportedActiveConnections")
                                  .equals(n.getLong("activeConnections"))));
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
    fixture.awaitNodes(
        lb,
        "echo",
        nodes -> nodes.values().stream().allMatch(n -> n.getLong("activeConnections") == 0));
  }

  @Test
  void shouldReleaseEveryDescriptorWhenClientsCloseOrVanish() throws Exception {
    // Warm up pools and lazy structures, then take the baseline.
    try (Socket warm = TcpClients.connect(lb.tcpPort())) {
      TcpClients.roundTrip(warm, "warm");
    }
    awaitAllClosed();
    long baseline = openDescriptors();

    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Socket socket = TcpClients.connect(lb.tcpPort());
      TcpClients.roundTrip(socket, "fd " + i);
      sockets.add(socket);
    }
    for (int i = 0; i < sockets.size(); i++) {
      Socket socket = sockets.get(i);
      if (i % 3 == 0) {
        socket.setSoLinger(true, 0); // vanishes: RST instead of FIN
      } else if (i % 3 == 1) {
        socket.shutdownOutput(); // half-closes first
      }
      socket.close();
    }
    // Clients that reset before the balancer could even dial a backend.
    for (int i = 0; i < 20; i++) {
      Socket socket = TcpClients.connect(lb.tcpPort());
      socket.setSoLinger(true, 0);
      socket.close();
    }

    awaitAllClosed();
    Eventually.until(
        java.time.Duration.ofSeconds(20),
        "the balancer is back to its baseline of fds",
        () -> openDescriptors() <= baseline + 2);
  }

  private static void awaitAllClosed() {
    Eventually.until(
        java.time.Duration.ofSeconds(20),
        "every TCP connection is uncounted",
        () ->
            fixture.get(lb.adminPort(), "/api/frontends").getJsonObject("tcp").getLong("active")
                    == 0
                && fixture.nodesOf(lb, "echo").values().stream()
                    .allMatch(
                        n ->
                            n.getLong("activeConnections") == 0
                                && Long.valueOf(0).equals(n.getLong("reportedActiveConnections"))));
  }

  /** Descriptors of this JVM, which hosts the balancer and the backends. */
  private static long openDescriptors() {
    try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
