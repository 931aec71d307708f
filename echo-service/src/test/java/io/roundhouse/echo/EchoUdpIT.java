package io.roundhouse.echo;

import static io.roundhouse.echo.EchoFixture.NODE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.stats.DatagramStats;
import io.roundhouse.stats.NodeStats;
import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.PrometheusText;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The UDP echo of a real echo-service on a cluster: same port number, counts on /metrics. */
class EchoUdpIT {

  @RegisterExtension static final EchoFixture echo = new EchoFixture();

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final List<DatagramSocket> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(DatagramSocket::close);
  }

  private DatagramSocket client() throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    socket.setSoTimeout(EchoFixture.READ_TIMEOUT_MS);
    clients.add(socket);
    return socket;
  }

  private static byte[] roundTrip(DatagramSocket client, int port, byte[] payload)
      throws IOException {
    client.send(new DatagramPacket(payload, payload.length, LOOPBACK, port));
    return receive(client);
  }

  private static byte[] receive(DatagramSocket client) throws IOException {
    DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
    client.receive(packet);
    return Arrays.copyOf(packet.getData(), packet.getLength());
  }

  private static String scrape(EchoService service) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + service.adminPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(30)) // a bound on a busy two-core box, not a target
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static Optional<Double> metric(String text, String name, String... tags) {
    Map<String, String> labels =
        new java.util.HashMap<>(Map.of("node", NODE_ID, "service", "echo"));
    for (int i = 0; i < tags.length; i += 2) {
      labels.put(tags[i], tags[i + 1]);
    }
    return PrometheusText.value(text, name, labels);
  }

  @Test
  void shouldEchoUdpOnTheTcpPortNumberWhenStartedOnPortZero() throws Exception {
    EchoService service = echo.start();

    assertThat(service.udpPort()).isEqualTo(service.port());
    assertThat(service.ports()).containsEntry("udp", service.port());
    byte[] payload = "hello over udp".getBytes();
    assertThat(roundTrip(client(), service.udpPort(), payload)).isEqualTo(payload);
  }

  @Test
  void shouldServeUdpCountsOnMetricsWhenPeersSendAndOversizedIsDropped() throws Exception {
    EchoService service = echo.start(Map.of("ECHO_UDP_MAX_DATAGRAM", "512"));
    int port = service.udpPort();
    DatagramSocket alice = client();
    DatagramSocket bob = client();

    assertThat(roundTrip(alice, port, new byte[512])).hasSize(512);
    assertThat(roundTrip(bob, port, "bob".getBytes())).isEqualTo("bob".getBytes());
    assertThat(roundTrip(alice, port, "alice".getBytes())).isEqualTo("alice".getBytes());
    bob.send(new DatagramPacket(new byte[513], 513, LOOPBACK, port)); // one over the limit
    Eventually.until(
        "the oversized datagram is counted",
        () -> service.udpCounters().oversizedDropped() == 1,
        service.udpCounters()::datagramsIn);
    Eventually.until("three echoes counted", () -> service.udpCounters().datagramsOut() == 3);

    String metrics = scrape(service);
    assertThat(metric(metrics, "roundhouse_udp_datagrams_total", "direction", "in")).contains(3.0);
    assertThat(metric(metrics, "roundhouse_udp_datagrams_total", "direction", "out")).contains(3.0);
    assertThat(metric(metrics, "roundhouse_udp_bytes_total", "direction", "in")).contains(520.0);
    assertThat(metric(metrics, "roundhouse_udp_bytes_total", "direction", "out")).contains(520.0);
    assertThat(metric(metrics, "roundhouse_udp_dropped_total", "reason", "oversized"))
        .contains(1.0);
    assertThat(metric(metrics, "roundhouse_udp_peers_active")).contains(2.0);
    assertThat(metric(metrics, "roundhouse_udp_peers_total")).contains(2.0);
    bob.setSoTimeout(200);
    assertThatThrownBy(() -> receive(bob))
        .as("the oversized datagram got no echo")
        .isInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void shouldPublishUdpCountsToOtherMembersWhenPeersSend() throws Exception {
    EchoService service = echo.start(Map.of("ECHO_UDP_MAX_DATAGRAM", "512"));
    List<NodeStats> seen = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer =
        echo.observer()
            .vertx()
            .eventBus()
            .<JsonObject>consumer(NodeStats.ADDRESS, m -> seen.add(NodeStats.fromJson(m.body())));
    try {
      consumer.completion().await();
      DatagramSocket client = client();
      assertThat(roundTrip(client, service.udpPort(), "four".getBytes())).hasSize(4);
      client.send(new DatagramPacket(new byte[600], 600, LOOPBACK, service.udpPort()));

      DatagramStats expected = new DatagramStats(1, 1, 4, 4, 1, 1);
      Eventually.until(
          "the observer sees one echo, one drop, one peer",
          () -> seen.stream().anyMatch(s -> expected.equals(s.udp())),
          () -> seen.isEmpty() ? seen : seen.get(seen.size() - 1));
    } finally {
      consumer.unregister().await();
    }
  }

  @Test
  void shouldCloseUdpSocketAndDropItsMetersWhenStopped() throws Exception {
    EchoService service = echo.start();
    DatagramSocket client = client();
    assertThat(roundTrip(client, service.udpPort(), "before".getBytes()))
        .isEqualTo("before".getBytes());

    service.stop().await();

    try (DatagramSocket rebind =
        new DatagramSocket(new InetSocketAddress(LOOPBACK, service.udpPort()))) {
      assertThat(rebind.getLocalPort())
          .as("the UDP port is free again")
          .isEqualTo(service.udpPort());
    }
    assertThat(echo.echoNode().metrics().registry().find("roundhouse.udp.datagrams").meters())
        .isEmpty();
  }
}
