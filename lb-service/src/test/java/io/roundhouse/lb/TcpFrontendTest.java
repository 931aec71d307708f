package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.testing.Eventually;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The L4 splice through the TCP frontend to in-process echo origins: bytes, half-close,
 * backpressure and failover. The fast tier, no cluster; the spread over cluster members and the
 * descriptors are {@link TcpProxyIT}'s.
 */
class TcpFrontendTest {

  private static Frontends frontends;

  @BeforeAll
  static void start() {
    frontends = new Frontends();
    frontends.backendUp("echo-1", ServiceInstance.ECHO, frontends.echoOrigin(0).port());
    frontends.backendUp("echo-2", ServiceInstance.ECHO, frontends.echoOrigin(0).port());
  }

  @AfterAll
  static void stop() {
    if (frontends != null) {
      frontends.close();
    }
  }

  private static int refusingPort() throws Exception {
    try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return free.getLocalPort();
    }
  }

  private static void awaitReleased(String id) {
    Eventually.until(
        Duration.ofSeconds(20),
        id + "'s count is released",
        () -> frontends.active(ServiceInstance.ECHO, id) == 0);
  }

  @Test
  void shouldDialTheNextBackendWhenOneRefuses() throws Exception {
    frontends.backendUp("echo-dead", ServiceInstance.ECHO, refusingPort());
    try {
      for (int i = 0; i < 6; i++) {
        try (Socket socket = TcpClients.connect(frontends.tcpPort())) {
          TcpClients.roundTrip(socket, "try " + i);
        }
      }
      long failed =
          frontends.directory.live(ServiceInstance.ECHO).stream()
              .filter(b -> b.id().equals("echo-dead"))
              .findFirst()
              .orElseThrow()
              .failedConnects();
      assertThat(failed).as("dials of the dead backend").isPositive();
    } finally {
      frontends.directory.instanceDown("echo-dead");
    }
    awaitReleased("echo-1");
    awaitReleased("echo-2");
  }

  @Test
  void shouldCloseTheClientAtOnceWhenNoBackendIsLive() throws Exception {
    try (Frontends empty = new Frontends();
        Socket socket = TcpClients.connect(empty.tcpPort())) {
      socket.setSoTimeout(10_000);
      int first;
      try {
        first = socket.getInputStream().read();
      } catch (SocketException reset) {
        first = -1;
      }
      assertThat(first).as("EOF or a reset, never a read timeout").isEqualTo(-1);
    }
  }

  @Test
  void shouldResetTheClientWhenTheBackendResetsTheConnection() throws Exception {
    try (Frontends alone = new Frontends();
        ServerSocket origin = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
      alone.backendUp("echo-resets", ServiceInstance.ECHO, origin.getLocalPort());
      CompletableFuture<Void> resetDone =
          CompletableFuture.runAsync(
              () -> {
                try (Socket accepted = origin.accept()) {
                  accepted.getInputStream().read();
                  accepted.setSoLinger(true, 0);
                } catch (Exception e) {
                  throw new CompletionException(e);
                }
              });
      try (Socket socket = TcpClients.connect(alone.tcpPort())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
        resetDone.get(10, TimeUnit.SECONDS);
        InputStream in = socket.getInputStream();
        assertThatThrownBy(in::read)
            .as("the client's read after the backend's reset")
            .isInstanceOf(SocketException.class)
            .hasMessageContaining("reset");
      }
    }
  }

  /** An origin that reads the first line, then reports how its next read ended. */
  private static CompletableFuture<String> originsNextRead(
      ServerSocket origin, CompletableFuture<Void> firstLine) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Socket accepted = origin.accept()) {
            accepted.setSoTimeout(10_000);
            InputStream in = accepted.getInputStream();
            in.readNBytes("hello\n".length());
            firstLine.complete(null);
            try {
              return in.read() < 0 ? "fin" : "data";
            } catch (SocketException e) {
              return e.getMessage().contains("reset") ? "reset" : e.getMessage();
            }
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        });
  }

  @Test
  void shouldResetTheBackendWhenTheClientResetsTheConnection() throws Exception {
    try (Frontends alone = new Frontends();
        ServerSocket origin = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
      alone.backendUp("echo-sees-reset", ServiceInstance.ECHO, origin.getLocalPort());
      CompletableFuture<Void> firstLine = new CompletableFuture<>();
      CompletableFuture<String> next = originsNextRead(origin, firstLine);
      Socket socket = TcpClients.connect(alone.tcpPort());
      socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
      firstLine.get(10, TimeUnit.SECONDS);
      socket.setSoLinger(true, 0);
      socket.close();

      assertThat(next.get(20, TimeUnit.SECONDS)).isEqualTo("reset");
    }
  }

  @Test
  void shouldEndTheBackendWithAFinWhenTheClientClosesCleanly() throws Exception {
    try (Frontends alone = new Frontends();
        ServerSocket origin = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
      alone.backendUp("echo-sees-fin", ServiceInstance.ECHO, origin.getLocalPort());
      CompletableFuture<Void> firstLine = new CompletableFuture<>();
      CompletableFuture<String> next = originsNextRead(origin, firstLine);
      Socket socket = TcpClients.connect(alone.tcpPort());
      socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
      firstLine.get(10, TimeUnit.SECONDS);
      socket.close();

      assertThat(next.get(20, TimeUnit.SECONDS)).isEqualTo("fin");
    }
  }

  @Test
  void shouldCloseBothSidesWhenASpliceIdlesPastTheTimeout() throws Exception {
    try (Frontends idle = new Frontends(java.util.Map.of("LB_TCP_IDLE_TIMEOUT", "300ms"));
        ServerSocket origin = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
      idle.backendUp("echo-idles", ServiceInstance.ECHO, origin.getLocalPort());
      CompletableFuture<Void> firstLine = new CompletableFuture<>();
      CompletableFuture<String> next = originsNextRead(origin, firstLine);
      try (Socket socket = TcpClients.connect(idle.tcpPort())) {
        socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
        firstLine.get(10, TimeUnit.SECONDS);

        assertThat(socket.getInputStream().read()).as("the client's read once idle").isEqualTo(-1);
        assertThat(next.get(20, TimeUnit.SECONDS)).isEqualTo("fin");
      }
    }
  }

  @Test
  void shouldCountEachSpliceAgainstItsBackendAndReleaseItWhenTheClientCloses() throws Exception {
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        Socket socket = TcpClients.connect(frontends.tcpPort());
        TcpClients.roundTrip(socket, "held " + i);
        open.add(socket);
      }
      assertThat(
              frontends.active(ServiceInstance.ECHO, "echo-1")
                  + frontends.active(ServiceInstance.ECHO, "echo-2"))
          .isEqualTo(4);
    } finally {
      for (Socket socket : open) {
        socket.close();
      }
    }
    awaitReleased("echo-1");
    awaitReleased("echo-2");
  }

  @Test
  void shouldEchoMultiMegabytePayloadByteExactWhenClientHalfCloses() throws Exception {
    byte[] payload = new byte[4 * 1024 * 1024 + 17];
    new Random(42).nextBytes(payload);

    byte[] echoed = TcpClients.echoWithHalfClose(frontends.tcpPort(), payload);

    assertThat(echoed).hasSize(payload.length);
    assertThat(echoed).isEqualTo(payload);
  }

  @Test
  void shouldDeliverEveryEchoedByteWhenClientHalfClosesRightAfterConnecting() throws Exception {
    // The FIN can reach the balancer before the backend is dialled: it must be held, in order.
    for (int i = 0; i < 20; i++) {
      byte[] payload = ("short message " + i).getBytes();
      assertThat(TcpClients.echoWithHalfClose(frontends.tcpPort(), payload)).isEqualTo(payload);
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
      channel.connect(new InetSocketAddress("127.0.0.1", frontends.tcpPort()));
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
}
