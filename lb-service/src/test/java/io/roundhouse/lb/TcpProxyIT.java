package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
  void shouldEchoMultiMegabytePayloadByteExactWhenClientHalfCloses() throws Exception {
    byte[] payload = new byte[4 * 1024 * 1024 + 17];
    new Random(42).nextBytes(payload);

    byte[] echoed = TcpClients.echoWithHalfClose(lb.tcpPort(), payload);

    assertThat(echoed).hasSize(payload.length);
    assertThat(echoed).isEqualTo(payload);
  }

  @Test
  void shouldDeliverEveryEchoedByteWhenClientHalfClosesRightAfterConnecting() throws Exception {
    // The FIN can reach the balancer before the backend is dialled: it must be held, in order.
    for (int i = 0; i < 20; i++) {
      byte[] payload = ("short message " + i).getBytes();
      assertThat(TcpClients.echoWithHalfClose(lb.tcpPort(), payload)).isEqualTo(payload);
    }
  }

  @Test
  void shouldStopReadingFromClientWhenClientDoesNotReadEchoes() throws Exception {
    long target = 256L * 1024 * 1024;
    long written = 0;
    Random pattern = new Random(7);
    try (SocketChannel channel = SocketChannel.open()) {
      channel.socket().setReceiveBufferSize(64 * 1024);
      channel.socket().setSendBufferSize(64 * 1024);
      channel.connect(new InetSocketAddress("127.0.0.1", lb.tcpPort()));
      channel.configureBlocking(false);
      ByteBuffer chunk = ByteBuffer.allocate(64 * 1024).limit(0);
      long lastProgress = System.nanoTime();
      long hardStop = System.nanoTime() + 20_000_000_000L;
      // Write without ever reading until no byte is accepted for 1.5 s (or the target is hit).
      while (written < target && System.nanoTime() < hardStop) {
        if (!chunk.hasRemaining()) {
          chunk.clear();
          byte[] bytes = new byte[chunk.capacity()];
          pattern.nextBytes(bytes);
          chunk.put(bytes).flip();
        }
        int n = channel.write(chunk);
        if (n > 0) {
          written += n;
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > 1_500_000_000L) {
          break;
        } else {
          Thread.sleep(5);
        }
      }
      // Stalled far below the target: the balancer and the backend stopped reading.
      assertThat(written).isLessThan(128L * 1024 * 1024);

      // Reading everything back yields the same bytes: nothing was lost while paused.
      channel.configureBlocking(true);
      channel.shutdownOutput();
      Random check = new Random(7);
      InputStream in = channel.socket().getInputStream();
      long verified = 0;
      byte[] expected = new byte[64 * 1024];
      byte[] actual = new byte[64 * 1024];
      while (verified < written) {
        check.nextBytes(expected);
        int len = (int) Math.min(expected.length, written - verified);
        int read = in.readNBytes(actual, 0, len);
        assertThat(read).isEqualTo(len);
        for (int i = 0; i < len; i++) {
          if (actual[i] != expected[i]) {
            throw new AssertionError("byte " + (verified + i) + " differs");
          }
        }
        verified += len;
      }
      assertThat(in.read()).isEqualTo(-1);
    }
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
    Eventually.check(java.time.Duration.ofSeconds(20), () -> openDescriptors() <= baseline + 2);
  }

  private static void awaitAllClosed() {
    Eventually.check(
        java.time.Duration.ofSeconds(20),
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
