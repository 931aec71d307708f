package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.lb.conn.Kind;
import io.roundhouse.lb.conn.LiveConnection;
import io.roundhouse.lb.conn.ShedReason;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.testing.Eventually;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shedding TCP splices through the real TCP frontend to the echo service's verticle: an idle one is
 * closed cleanly, a busy one is left alone unless asked to go now, and then the client still gets
 * every byte the balancer took from the backend for it, then a FIN.
 */
class TcpShedFrontendTest {

  private static final Duration BOUND = Duration.ofSeconds(30);

  private static Frontends frontends;

  @BeforeAll
  static void start() {
    frontends = new Frontends(java.util.Map.of("LB_HEALTH_CHECKS", "false"));
    frontends.backendUp("echo-1", ServiceInstance.ECHO, frontends.echoOrigin(0).port());
  }

  @AfterAll
  static void stop() {
    if (frontends != null) {
      frontends.close();
    }
  }

  private static LiveConnection entry(Socket client) {
    int port = client.getLocalPort();
    Eventually.until(
        "the splice to a backend is listed",
        () -> find(port) != null && find(port).backend() != null);
    return find(port);
  }

  private static LiveConnection find(int clientPort) {
    return frontends.counters.connections().snapshot().stream()
        .filter(c -> c.kind() == Kind.TCP && c.client().getPort() == clientPort)
        .findFirst()
        .orElse(null);
  }

  private static boolean shed(LiveConnection live, Duration idleAtLeast) {
    return live.shed(ShedReason.REBALANCE, idleAtLeast).timeout(10, TimeUnit.SECONDS).await();
  }

  private static void awaitGone(int clientPort) {
    Eventually.until(
        BOUND,
        "the shed connection is forgotten and every count dropped",
        () ->
            find(clientPort) == null
                && frontends.counters.tcp().active() == 0
                && frontends.active(ServiceInstance.ECHO, "echo-1") == 0);
  }

  @Test
  void shouldCloseAnIdleSpliceCleanlyWhenShed() throws Exception {
    try (Socket client = TcpClients.connect(frontends.tcpPort())) {
      int port = client.getLocalPort();
      TcpClients.roundTrip(client, "hello");
      LiveConnection live = entry(client);

      Eventually.until("shed once idle for 100 ms", () -> shed(live, Duration.ofMillis(100)));

      client.setSoTimeout((int) BOUND.toMillis());
      assertThat(client.getInputStream().read()).as("a clean end of stream").isEqualTo(-1);
      client.shutdownOutput();
      awaitGone(port);
    }
  }

  @Test
  void shouldLeaveABusySpliceAloneWhenItWasActiveWithinTheAskedTime() throws Exception {
    try (Socket client = TcpClients.connect(frontends.tcpPort())) {
      TcpClients.roundTrip(client, "busy");
      LiveConnection live = entry(client);

      assertThat(shed(live, Duration.ofHours(1))).as("shed").isFalse();

      TcpClients.roundTrip(client, "still echoing");
      assertThat(find(client.getLocalPort())).isNotNull();
      assertThat(shed(live, Duration.ofHours(1))).as("shed, asked again").isFalse();
      TcpClients.roundTrip(client, "and again");
    }
  }

  /** The byte at offset {@code n} of what the client sends: checkable at any offset. */
  private static byte patternAt(long n) {
    return (byte) (n % 251);
  }

  @Test
  void shouldShedABusySpliceWithoutLosingAnOwedByteWhenAskedToGoNow() throws Exception {
    try (Socket client = TcpClients.connect(frontends.tcpPort())) {
      int port = client.getLocalPort();
      client.setSoTimeout((int) BOUND.toMillis());
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                byte[] chunk = new byte[16 * 1024];
                long sent = 0;
                try {
                  OutputStream out = client.getOutputStream();
                  while (!stop.get()) {
                    for (int i = 0; i < chunk.length; i++) {
                      chunk[i] = patternAt(sent + i);
                    }
                    out.write(chunk);
                    sent += chunk.length;
                  }
                } catch (IOException afterTheShed) {
                  // The balancer may close once the client's FIN is in; what it wrote is dropped.
                }
              });
      AtomicLong received = new AtomicLong();
      CompletableFuture<Long> reader =
          CompletableFuture.supplyAsync(
              () -> {
                byte[] buffer = new byte[32 * 1024];
                try {
                  InputStream in = client.getInputStream();
                  for (int n; (n = in.read(buffer)) != -1; ) {
                    for (int i = 0; i < n; i++) {
                      if (buffer[i] != patternAt(received.get() + i)) {
                        throw new AssertionError("byte " + (received.get() + i) + " differs");
                      }
                    }
                    received.addAndGet(n);
                  }
                  return received.get();
                } catch (IOException e) {
                  throw new AssertionError("the stream did not end cleanly", e);
                }
              });
      LiveConnection live = entry(client);
      Eventually.until("a busy stream", () -> received.get() > 1024 * 1024);

      assertThat(shed(live, Duration.ZERO)).as("shed").isTrue();

      long total = reader.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      stop.set(true);
      assertThat(total)
          .as("every byte the balancer read from the backend reached the client")
          .isEqualTo(live.traffic().bytesToClient());
      client.shutdownOutput();
      writer.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      awaitGone(port);
    }
  }
}
