package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.testing.Eventually;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The UDP frontend against in-process UDP origins, over real datagram sockets on loopback: flows
 * pinned and spread, idle flows forgotten, and every kind of bad input dropped and counted.
 */
class UdpFrontendTest {

  private Frontends frontends;
  private final List<java.net.DatagramSocket> clients = new ArrayList<>();

  @AfterEach
  void close() {
    clients.forEach(java.net.DatagramSocket::close);
    if (frontends != null) {
      frontends.close();
    }
  }

  private void start(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("LB_HEALTH_CHECKS", "false"); // the TCP check would find no TCP listener here
    frontends = new Frontends(all);
  }

  /** A UDP origin answering "{id}:{payload}", or nothing when {@code id} is null. */
  private int origin(String id) {
    DatagramSocket socket = frontends.origins.createDatagramSocket();
    socket.handler(
        packet -> {
          if (id != null) {
            socket.send(
                Buffer.buffer(id + ":").appendBuffer(packet.data()),
                packet.sender().port(),
                packet.sender().host());
          }
        });
    return socket
        .listen(0, "127.0.0.1")
        .timeout(10, TimeUnit.SECONDS)
        .await()
        .localAddress()
        .port();
  }

  private java.net.DatagramSocket client() throws IOException {
    java.net.DatagramSocket socket =
        new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress());
    socket.setSoTimeout(10_000);
    clients.add(socket);
    return socket;
  }

  private void send(java.net.DatagramSocket from, byte[] payload) throws IOException {
    from.send(
        new DatagramPacket(
            payload,
            payload.length,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), frontends.udpPort())));
  }

  private String roundTrip(java.net.DatagramSocket from, String text) throws IOException {
    send(from, text.getBytes(StandardCharsets.UTF_8));
    byte[] buffer = new byte[65_535];
    DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
    from.receive(reply);
    assertThat(reply.getPort())
        .as("the reply comes from the balancer's port")
        .isEqualTo(frontends.udpPort());
    return new String(buffer, 0, reply.getLength(), StandardCharsets.UTF_8);
  }

  private double dropped(String reason) {
    return frontends.counted("roundhouse.udp.dropped", "reason", reason);
  }

  @Test
  void shouldPinEachFlowToOneBackendAndSpreadFlowsWhenClientsSendThroughTheBalancer()
      throws Exception {
    start(Map.of());
    frontends.backendUp("udp-a", ServiceInstance.ECHO, origin("udp-a"));
    frontends.backendUp("udp-b", ServiceInstance.ECHO, origin("udp-b"));

    Map<String, Integer> flowsPerBackend = new HashMap<>();
    for (int c = 0; c < 6; c++) {
      java.net.DatagramSocket client = client();
      Set<String> backends = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        String payload = "client-" + c + "-datagram-" + i;
        String reply = roundTrip(client, payload);
        assertThat(reply).endsWith(":" + payload);
        backends.add(reply.substring(0, reply.indexOf(':')));
      }
      assertThat(backends).as("one flow, one backend").hasSize(1);
      flowsPerBackend.merge(backends.iterator().next(), 1, Integer::sum);
    }

    assertThat(flowsPerBackend).containsEntry("udp-a", 3).containsEntry("udp-b", 3);
    assertThat(frontends.counters.udp().active()).isEqualTo(6);
    assertThat(frontends.active(ServiceInstance.ECHO, "udp-a")).isEqualTo(3);
    assertThat(frontends.counted("roundhouse.udp.datagrams", "leg", "inbound")).isEqualTo(18);
    assertThat(frontends.counted("roundhouse.udp.datagrams", "leg", "outbound")).isEqualTo(18);
  }

  @Test
  void shouldForgetAFlowAndReleaseItsBackendWhenItIdles() throws Exception {
    start(Map.of("LB_UDP_IDLE_TIMEOUT", "300ms"));
    frontends.backendUp("udp-a", ServiceInstance.ECHO, origin("udp-a"));
    java.net.DatagramSocket client = client();

    assertThat(roundTrip(client, "hello")).isEqualTo("udp-a:hello");
    assertThat(frontends.counters.udp().active()).isEqualTo(1);

    Eventually.until(
        Duration.ofSeconds(10),
        "the idle flow is forgotten and its backend's count released",
        () ->
            frontends.counters.udp().active() == 0
                && frontends.active(ServiceInstance.ECHO, "udp-a") == 0);
    // The same client again is a new flow, and is served.
    assertThat(roundTrip(client, "again")).isEqualTo("udp-a:again");
    assertThat(frontends.counters.udp().total()).isEqualTo(2);
  }

  @Test
  void shouldDropAndCountADatagramLargerThanTheLimitAndServeTheNext() throws Exception {
    start(Map.of("LB_UDP_MAX_DATAGRAM", "1000"));
    frontends.backendUp("udp-a", ServiceInstance.ECHO, origin("udp-a"));
    java.net.DatagramSocket client = client();

    send(client, new byte[1001]);
    Eventually.until(
        Duration.ofSeconds(10),
        "the oversized datagram is counted",
        () -> dropped("too_large") == 1);

    String largest = "x".repeat(1000);
    assertThat(roundTrip(client, largest)).isEqualTo("udp-a:" + largest);
  }

  @Test
  void shouldCountTheFlowUnansweredWhenTheBackendNeverReplies() throws Exception {
    start(Map.of("LB_UDP_IDLE_TIMEOUT", "200ms"));
    frontends.backendUp("silent", ServiceInstance.ECHO, origin(null));

    send(client(), "anyone?".getBytes(StandardCharsets.UTF_8));

    Eventually.until(
        Duration.ofSeconds(10),
        "the silent flow ends, counted as unanswered, and releases its backend",
        () ->
            frontends.counted("roundhouse.udp.flows.unanswered") == 1
                && frontends.counters.udp().active() == 0
                && frontends.active(ServiceInstance.ECHO, "silent") == 0);
  }

  @Test
  void shouldRefuseFlowsPastTheCapWhenOneAddressOpensMany() throws Exception {
    start(Map.of("LB_UDP_MAX_FLOWS_PER_CLIENT", "2"));
    frontends.backendUp("udp-a", ServiceInstance.ECHO, origin("udp-a"));

    assertThat(roundTrip(client(), "one")).isEqualTo("udp-a:one");
    assertThat(roundTrip(client(), "two")).isEqualTo("udp-a:two");
    send(client(), "three".getBytes(StandardCharsets.UTF_8));

    Eventually.until(
        Duration.ofSeconds(10),
        "the third flow from 127.0.0.1 is refused and counted",
        () -> dropped("client_flows_full") == 1);
    assertThat(frontends.counters.udp().active()).isEqualTo(2);
  }

  @Test
  void shouldDropTheDatagramsAndForgetTheFlowWhenNoBackendIsLive() throws Exception {
    start(Map.of());

    send(client(), "nobody".getBytes(StandardCharsets.UTF_8));

    Eventually.until(
        Duration.ofSeconds(10),
        "the datagram is dropped for want of a backend and the flow forgotten",
        () -> dropped("no_backend") == 1 && frontends.counters.udp().active() == 0);
  }

  @Test
  void shouldEndTheFlowAndCountItWhenTheBackendPortIsClosed() throws Exception {
    start(Map.of());
    // A port that was bound a moment ago and is closed now: the kernel answers ICMP unreachable.
    java.net.DatagramSocket gone = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress());
    int closedPort = gone.getLocalPort();
    gone.close();
    frontends.backendUp("gone", ServiceInstance.ECHO, closedPort);
    java.net.DatagramSocket client = client();

    // The kernel rate-limits ICMP errors (net.ipv4.icmp_ratelimit): send again until one comes.
    Eventually.until(
        Duration.ofSeconds(30),
        "the refusal is counted and the flow ended",
        () -> {
          if (dropped("backend_unreachable") >= 1 && frontends.counters.udp().active() == 0) {
            return true;
          }
          try {
            send(client, "anyone?".getBytes(StandardCharsets.UTF_8));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return false;
        });
  }
}
