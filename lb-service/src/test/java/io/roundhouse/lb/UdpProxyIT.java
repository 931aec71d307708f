package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.echo.EchoService;
import io.roundhouse.testing.Eventually;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** UDP through the balancer to real echo-service members, each echoing on its TCP port number. */
class UdpProxyIT {

  private static ClusterFixture fixture;
  private static LbService lb;
  private static final List<EchoService> echoes = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    fixture = new ClusterFixture();
    for (int i = 1; i <= 2; i++) {
      echoes.add(fixture.echo("echo-" + i));
    }
    lb = fixture.lb(Map.of("LB_UDP_IDLE_TIMEOUT", "1s"));
    fixture.awaitNodes(lb, "echo", nodes -> nodes.size() == 2);
  }

  @AfterAll
  static void stopCluster() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static double datagramsEchoed(EchoService echo) {
    return fixture.metric(
        echo.adminPort(), "roundhouse_udp_datagrams_total", Map.of("direction", "out"));
  }

  @Test
  void shouldEchoDatagramsByteExactAndSpreadFlowsOverTheEchoNodesWhenSentThroughTheBalancer()
      throws Exception {
    echoes.forEach(
        e -> assertThat(e.udpPort()).as("UDP on the TCP port's number").isEqualTo(e.port()));
    assertThat(lb.udpPort()).isPositive();
    Random random = new Random(42);
    List<DatagramSocket> clients = new ArrayList<>();
    try {
      for (int c = 0; c < 10; c++) {
        DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        client.setSoTimeout(10_000);
        clients.add(client);
        for (int i = 0; i < 2; i++) {
          byte[] payload = new byte[512 + random.nextInt(1024)];
          random.nextBytes(payload);
          client.send(
              new DatagramPacket(
                  payload,
                  payload.length,
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), lb.udpPort())));
          byte[] buffer = new byte[4096];
          DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
          client.receive(reply);
          assertThat(Arrays.copyOf(buffer, reply.getLength())).isEqualTo(payload);
        }
      }

      assertThat(
              fixture.metric(
                  lb.adminPort(), "roundhouse_connections_active", Map.of("protocol", "udp")))
          .isEqualTo(10);
      // Round robin over two nodes: five flows of two datagrams each on every node.
      for (EchoService echo : echoes) {
        Eventually.until(
            Duration.ofSeconds(20),
            echo.port() + " echoed its share",
            () -> datagramsEchoed(echo) == 10);
      }
      // Idle flows are forgotten, and the backends' counts given back.
      Eventually.until(
          Duration.ofSeconds(20),
          "the idle flows end",
          () ->
              fixture.metric(
                          lb.adminPort(),
                          "roundhouse_connections_active",
                          Map.of("protocol", "udp"))
                      == 0
                  && fixture.nodesOf(lb, "echo").values().stream()
                      .allMatch(n -> n.getLong("activeConnections") == 0));
    } finally {
      clients.forEach(DatagramSocket::close);
    }
  }
}
