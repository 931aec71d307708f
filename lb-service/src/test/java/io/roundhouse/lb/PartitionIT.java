package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.registry.HazelcastServiceRegistry;
import io.roundhouse.registry.ServiceInstance;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A backend cut off by a network partition, as the balancer sees it: an echo server in a network
 * namespace of the test's own, reached over a veth, whose firewall then drops every packet. The
 * cluster member that registers it stays reachable, so only the data path is partitioned: the
 * active checks must take it out of rotation, every new client must be served by the others
 * meanwhile, and once healed it must be back in, with the streams it held resumed and nothing lost.
 * Needs root ({@code ip netns}, {@code iptables}); skipped elsewhere, but never under CI.
 */
class PartitionIT {

  private static final String PARTITIONED = "echo-ns";
  private static final int CLIENTS = 20;

  private static NetworkNamespace ns;
  private static ClusterFixture fixture;
  private static ClusterNode registrant;
  private static LbService lb;

  @BeforeAll
  static void start() {
    boolean available = NetworkNamespace.available();
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(available, "needs root, ip netns and iptables");
    }
    assertThat(available).as("root, ip netns and iptables under CI").isTrue();
    ns = NetworkNamespace.create();
    int port = ns.startEcho(Path.of("target", "partition-it"));
    fixture = new ClusterFixture();
    fixture.echo("echo-1");
    lb =
        fixture.lb(
            Map.of(
                "LB_HEALTH_INTERVAL", "250ms",
                "LB_HEALTH_TIMEOUT", "500ms",
                "LB_HEALTH_FALL", "2",
                "LB_HEALTH_RISE", "2"));
    registrant = fixture.cluster.join(PARTITIONED, "echo");
    new HazelcastServiceRegistry(registrant.vertx(), registrant.hazelcast())
        .register(
            new ServiceInstance(
                PARTITIONED, "echo", NetworkNamespace.ADDRESS, port, registrant.memberId()))
        .timeout(30, TimeUnit.SECONDS)
        .await();
    awaitState(PARTITIONED, "up");
    awaitState("echo-1", "up");
  }

  @AfterAll
  static void stop() {
    try {
      if (fixture != null) {
        if (registrant != null) {
          registrant.close().timeout(30, TimeUnit.SECONDS).await();
        }
        fixture.close();
      }
    } finally {
      if (ns != null) {
        ns.close();
      }
    }
  }

  @Test
  void shouldServeEveryNewClientElsewhereAndResumeHeldStreamsWhenABackendIsPartitionedThenHealed()
      throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      // Round-robin over two backends: one of these two is spliced across the veth.
      for (int i = 0; i < 2; i++) {
        Socket socket = TcpClients.connect(lb.tcpPort());
        held.add(socket);
        TcpClients.roundTrip(socket, "held " + i);
      }
      assertThat(backendMetric("roundhouse_backend_connections_active")).isEqualTo(1.0);

      ns.cut();
      awaitState(PARTITIONED, "down");
      JsonObject down = fixture.nodesOf(lb, "echo").get(PARTITIONED);
      assertThat(down.getBoolean("healthy")).isFalse();
      assertThat(down.getJsonObject("health").getString("reason")).contains("timed out");
      assertThat(backendMetric("roundhouse_backend_up")).isZero();

      double dialedBefore = backendMetric("roundhouse_backend_connections_total");
      for (int i = 0; i < CLIENTS; i++) {
        try (Socket socket = TcpClients.connect(lb.tcpPort())) {
          TcpClients.roundTrip(socket, "during the partition " + i);
        }
      }
      assertThat(backendMetric("roundhouse_backend_connections_total"))
          .as("new connections sent across the partition")
          .isEqualTo(dialedBefore);
      // Bytes written into the cut: TCP holds and retransmits them until the link heals.
      for (Socket socket : held) {
        write(socket, "across the cut\n");
      }

      ns.heal();
      for (Socket socket : held) {
        assertThat(read(socket, "across the cut\n".length())).isEqualTo("across the cut\n");
        TcpClients.roundTrip(socket, "after the heal");
      }
      awaitState(PARTITIONED, "up");
      for (int i = 0; i < CLIENTS; i++) {
        try (Socket socket = TcpClients.connect(lb.tcpPort())) {
          TcpClients.roundTrip(socket, "after the heal " + i);
        }
      }
      assertThat(backendMetric("roundhouse_backend_connections_total"))
          .as("new connections to the healed backend")
          .isGreaterThan(dialedBefore);
      assertThat(backendMetric("roundhouse_backend_up")).isEqualTo(1.0);
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  private static void awaitState(String backend, String state) {
    fixture.awaitNodes(
        lb,
        "echo",
        nodes ->
            nodes.containsKey(backend)
                && state.equals(nodes.get(backend).getJsonObject("health").getString("state")));
  }

  private static double backendMetric(String name) {
    return fixture.metric(
        lb.adminPort(), name, Map.of("node", "lb-1", "service", "lb", "backend", PARTITIONED));
  }

  private static void write(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  private static String read(Socket socket, int length) throws IOException {
    return new String(socket.getInputStream().readNBytes(length), StandardCharsets.UTF_8);
  }
}
