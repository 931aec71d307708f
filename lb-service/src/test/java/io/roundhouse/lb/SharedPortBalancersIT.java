package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two balancer processes on the same public ports through {@code SO_REUSEPORT}: the first binds
 * ports picked by the OS, the second binds the same ones. The kernel spreads new TCP connections,
 * HTTP connections and UDP flows over both; each is a cluster member and lists the other.
 */
class SharedPortBalancersIT {

  private static final int CLIENTS = 40;

  private static ClusterFixture fixture;
  private static final List<ServiceProcess> balancers = new ArrayList<>();
  private static final List<Map<String, Integer>> ports = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    fixture = new ClusterFixture();
    fixture.echo("echo-1");
    fixture.ws("ws-1");
    Map<String, Integer> first = startBalancer("lb-a", "0", "0", "0");
    startBalancer(
        "lb-b",
        String.valueOf(first.get("tcp")),
        String.valueOf(first.get("http")),
        String.valueOf(first.get("udp")));
    for (Map<String, Integer> p : ports) {
      Eventually.until(
          Duration.ofSeconds(30),
          "each balancer lists both backends",
          () -> fixture.get(p.get("admin"), "/api/nodes").getJsonArray("nodes").size() == 2);
    }
  }

  private static Map<String, Integer> startBalancer(String id, String tcp, String http, String udp)
      throws IOException {
    ServiceProcess lb =
        ServiceProcess.start(
            "roundhouse.lb.jar",
            id,
            fixture.settings(
                id,
                Map.of(
                    "LB_HOST",
                    "127.0.0.1",
                    "LB_TCP_PORT",
                    tcp,
                    "LB_HTTP_PORT",
                    http,
                    "LB_UDP_PORT",
                    udp,
                    "LB_ADMIN_PORT",
                    "0",
                    "LB_INSTANCES",
                    "1")));
    balancers.add(lb);
    Map<String, Integer> bound = lb.awaitPorts(Duration.ofSeconds(60));
    ports.add(bound);
    return bound;
  }

  @AfterAll
  static void stop() throws InterruptedException {
    for (ServiceProcess lb : balancers) {
      lb.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void shouldBindTheSamePublicPortsWhenASecondBalancerStarts() {
    assertThat(ports.get(1).get("tcp")).isEqualTo(ports.get(0).get("tcp"));
    assertThat(ports.get(1).get("http")).isEqualTo(ports.get(0).get("http"));
    assertThat(ports.get(1).get("udp")).isEqualTo(ports.get(0).get("udp"));
    assertThat(ports.get(1).get("admin")).isNotEqualTo(ports.get(0).get("admin"));
  }

  @Test
  void shouldListEveryBalancerWithItsOwnIdAndProcessWhenAskedAnyOfThem() {
    for (Map<String, Integer> p : ports) {
      Eventually.until(
          Duration.ofSeconds(20),
          "both balancers listed on admin port " + p.get("admin"),
          () -> listed(p.get("admin")).keySet().equals(Set.of("lb-a", "lb-b")));
      Map<String, JsonObject> listed = listed(p.get("admin"));
      assertThat(listed.get("lb-a").getLong("pid")).isEqualTo(balancers.get(0).pid());
      assertThat(listed.get("lb-b").getLong("pid")).isEqualTo(balancers.get(1).pid());
      assertThat(listed.get("lb-b").getJsonObject("ports").getInteger("tcp"))
          .isEqualTo(ports.get(0).get("tcp"));
    }
  }

  @Test
  void shouldSpreadTcpConnectionsOverBothProcessesWhenClientsShareOnePort() throws Exception {
    List<Socket> clients = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        Socket client = TcpClients.connect(ports.get(0).get("tcp"));
        clients.add(client);
        TcpClients.roundTrip(client, "hello " + i);
      }
      Map<Integer, Long> held = activeOnEach("tcp");
      assertThat(held.values()).allSatisfy(n -> assertThat(n).isPositive());
      assertThat(held.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(CLIENTS);
      JsonObject tcp = listener(ports.get(0).get("admin"), "tcp");
      assertThat(tcp.getLong("listeningSockets")).isGreaterThanOrEqualTo(2);
    } finally {
      for (Socket client : clients) {
        client.close();
      }
    }
  }

  @Test
  void shouldServeHttpFromBothProcessesWhenEachRequestComesOnItsOwnConnection() throws Exception {
    Set<String> servedBy = new java.util.HashSet<>();
    for (int i = 0; i < CLIENTS; i++) {
      try (Socket client = TcpClients.connect(ports.get(0).get("http"))) {
        client
            .getOutputStream()
            .write(
                "GET /info HTTP/1.1\r\nHost: roundhouse\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        String answer =
            new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(answer).startsWith("HTTP/1.1 200");
      }
    }
    for (Map<String, Integer> p : ports) {
      long requests =
          fixture.get(p.get("admin"), "/api/frontends").getJsonObject("http").getLong("total");
      if (requests > 0) {
        servedBy.add(String.valueOf(p.get("admin")));
      }
    }
    assertThat(servedBy).hasSize(2);
  }

  @Test
  void shouldPinEachUdpFlowToOneProcessAndUseBothWhenManyClientsSend() throws Exception {
    List<DatagramSocket> clients = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        client.setSoTimeout(10_000);
        clients.add(client);
        for (int d = 0; d < 2; d++) {
          byte[] payload = ("flow " + i + " datagram " + d).getBytes(StandardCharsets.US_ASCII);
          client.send(
              new DatagramPacket(
                  payload,
                  payload.length,
                  new InetSocketAddress(
                      InetAddress.getLoopbackAddress(), ports.get(0).get("udp"))));
          byte[] buffer = new byte[256];
          DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
          client.receive(reply);
          assertThat(new String(buffer, 0, reply.getLength(), StandardCharsets.US_ASCII))
              .isEqualTo(new String(payload, StandardCharsets.US_ASCII));
        }
      }
      Map<Integer, Long> flows = activeOnEach("udp");
      assertThat(flows.values()).allSatisfy(n -> assertThat(n).isPositive());
      // Two datagrams per client, one flow each: a flow that moved between processes counts twice.
      assertThat(flows.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(CLIENTS);
    } finally {
      clients.forEach(DatagramSocket::close);
    }
  }

  /** Each balancer's open count of one frontend, keyed by its admin port. */
  private static Map<Integer, Long> activeOnEach(String frontend) {
    Map<Integer, Long> out = new HashMap<>();
    for (Map<String, Integer> p : ports) {
      out.put(
          p.get("admin"),
          fixture.get(p.get("admin"), "/api/frontends").getJsonObject(frontend).getLong("active"));
    }
    return out;
  }

  private static Map<String, JsonObject> listed(int adminPort) {
    return fixture.get(adminPort, "/api/balancers").getJsonArray("balancers").stream()
        .map(JsonObject.class::cast)
        .collect(Collectors.toMap(b -> b.getString("id"), b -> b));
  }

  private static JsonObject listener(int adminPort, String frontend) {
    return fixture.get(adminPort, "/api/sockets").getJsonArray("listeners").stream()
        .map(JsonObject.class::cast)
        .filter(l -> l.getString("frontend").equals(frontend))
        .findFirst()
        .orElseThrow();
  }
}
