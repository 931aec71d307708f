package io.roundhouse.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roundhouse.testing.Eventually;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The UDP echo verticle on port 0, talked to by plain JDK datagram sockets over loopback. */
class UdpEchoVerticleTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** How long a client waits for an echo; a bound on a busy box, not a target. */
  private static final int REPLY_TIMEOUT_MS = 10_000;

  private final Vertx vertx = Vertx.vertx();
  private final UdpCounters counters = new UdpCounters();
  private final List<DatagramSocket> clients = new ArrayList<>();
  private UdpEchoVerticle verticle;

  @AfterEach
  void close() {
    clients.forEach(DatagramSocket::close);
    vertx.close().timeout(30, TimeUnit.SECONDS).await();
  }

  private int deploy(UdpEchoConfig config) {
    verticle = new UdpEchoVerticle("127.0.0.1", 0, config, counters);
    vertx.deployVerticle(verticle).timeout(30, TimeUnit.SECONDS).await();
    assertThat(verticle.actualPort()).isPositive();
    return verticle.actualPort();
  }

  private DatagramSocket client() throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    socket.setSoTimeout(REPLY_TIMEOUT_MS);
    socket.setReceiveBufferSize(256 * 1024);
    clients.add(socket);
    return socket;
  }

  private static void send(DatagramSocket from, int port, byte[] payload) throws IOException {
    from.send(new DatagramPacket(payload, payload.length, LOOPBACK, port));
  }

  /** The next datagram {@code socket} gets, checked to come from the echo's port. */
  private static byte[] receive(DatagramSocket socket, int port) throws IOException {
    byte[] buffer = new byte[UdpEchoVerticle.READ_BUFFER];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    socket.receive(packet);
    assertThat(packet.getPort()).as("replied from the echo's port").isEqualTo(port);
    return Arrays.copyOf(packet.getData(), packet.getLength());
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void shouldEchoEachDatagramByteExactWhenSizesVary() throws IOException {
    int port = deploy(UdpEchoConfig.DEFAULT);
    DatagramSocket client = client();
    long bytes = 0;

    // 60000 is far above the 2048 bytes Netty reads a datagram into unless told otherwise.
    for (int size : new int[] {1, 1472, 2049, 60_000, UdpEchoConfig.LARGEST_DATAGRAM}) {
      byte[] payload = random(size, size);
      send(client, port, payload);
      assertThat(receive(client, port)).as("echo of %d bytes", size).isEqualTo(payload);
      bytes += size;
    }

    long total = bytes;
    Eventually.until("five echoes counted", () -> counters.datagramsOut() == 5, counters::bytesOut);
    assertThat(counters.datagramsIn()).isEqualTo(5);
    assertThat(counters.bytesIn()).isEqualTo(total);
    assertThat(counters.bytesOut()).isEqualTo(total);
    assertThat(counters.oversizedDropped()).isZero();
  }

  @Test
  void shouldReplyToEachPeerAndCountBothWhenTwoPeersShareTheSocket() throws IOException {
    int port = deploy(UdpEchoConfig.DEFAULT);
    MeterRegistry registry = new SimpleMeterRegistry();
    counters.register(registry);
    DatagramSocket alice = client();
    DatagramSocket bob = client();

    for (int round = 0; round < 3; round++) {
      send(alice, port, ("alice " + round).getBytes());
      send(bob, port, ("bob " + round).getBytes());
      assertThat(new String(receive(bob, port))).isEqualTo("bob " + round);
      assertThat(new String(receive(alice, port))).isEqualTo("alice " + round);
    }

    assertThat(counters.peersActive()).isEqualTo(2);
    assertThat(counters.peersSeen()).isEqualTo(2);
    assertThat(counters.datagramsIn()).isEqualTo(6);
    Eventually.until("six echoes counted", () -> counters.datagramsOut() == 6);
    assertThat(registry.get(UdpCounters.PEERS_ACTIVE).gauge().value()).isEqualTo(2.0);
    assertThat(
            registry.get(UdpCounters.DATAGRAMS).tag("direction", "out").functionCounter().count())
        .isEqualTo(6.0);
  }

  @Test
  void shouldDropAndCountWhenDatagramIsOverTheLimit() throws IOException {
    int port = deploy(new UdpEchoConfig(100, Duration.ofSeconds(60), 100));
    DatagramSocket client = client();

    send(client, port, random(101, 1));
    send(client, port, random(5_000, 2));
    Eventually.until("two oversized dropped", () -> counters.oversizedDropped() == 2);
    byte[] limit = random(100, 3);
    send(client, port, limit);

    assertThat(receive(client, port))
        .as("the first reply: the oversized got none")
        .isEqualTo(limit);
    assertThat(counters.datagramsIn()).isEqualTo(1);
    assertThat(counters.bytesIn()).isEqualTo(100);
    assertThat(counters.peersSeen()).as("a dropped datagram adds no peer").isEqualTo(1);
    client.setSoTimeout(200);
    assertThatThrownBy(() -> receive(client, port))
        .as("nothing else comes back")
        .isInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void shouldDropAndCountWhenDatagramIsEmpty() throws IOException {
    int port = deploy(UdpEchoConfig.DEFAULT);
    DatagramSocket client = client();

    send(client, port, new byte[0]);
    Eventually.until("the empty datagram is counted", () -> counters.emptyDropped() == 1);
    send(client, port, "after".getBytes());

    assertThat(new String(receive(client, port))).isEqualTo("after");
    assertThat(counters.datagramsIn()).isEqualTo(1);
    Eventually.until("one echo counted", () -> counters.datagramsOut() == 1);
  }

  @Test
  void shouldForgetPeerWhenItStaysSilentForTheIdleTime() throws IOException {
    int port = deploy(new UdpEchoConfig(1024, Duration.ofMillis(200), 100));
    DatagramSocket client = client();
    send(client, port, "hello".getBytes());
    assertThat(receive(client, port)).isEqualTo("hello".getBytes());
    assertThat(counters.peersSeen()).isEqualTo(1);

    Eventually.until("the silent peer expires", () -> counters.peersActive() == 0);

    send(client, port, "again".getBytes());
    assertThat(receive(client, port)).isEqualTo("again".getBytes());
    assertThat(counters.peersSeen()).as("back after expiry: a new entry").isEqualTo(2);
  }

  @Test
  void shouldKeepTableBoundedWhenMorePeersSendThanItHolds() throws IOException {
    int port = deploy(new UdpEchoConfig(1024, Duration.ofSeconds(60), 3));

    for (int i = 0; i < 8; i++) {
      DatagramSocket peer = client();
      byte[] payload = ("peer " + i).getBytes();
      send(peer, port, payload);
      assertThat(receive(peer, port)).isEqualTo(payload);
    }

    assertThat(counters.peersActive()).isEqualTo(3);
    assertThat(counters.peersSeen()).isEqualTo(8);
    assertThat(counters.peersEvicted()).isEqualTo(5);
  }
}
