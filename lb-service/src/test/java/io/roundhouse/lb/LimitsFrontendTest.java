package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.lb.limit.Rejection;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.testing.Eventually;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The limits at the frontends, fast tier: caps per frontend, per backend with its queue, and per
 * client address. Each test runs its own frontends with the limit it needs.
 */
class LimitsFrontendTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private Frontends frontends;

  @AfterEach
  void stop() {
    if (frontends != null) {
      frontends.close();
    }
  }

  private Frontends start(Map<String, String> settings) {
    frontends = new Frontends(settings);
    int port = frontends.echoOrigin(0).port();
    frontends.backendUp("echo-1", ServiceInstance.ECHO, port);
    return frontends;
  }

  private double rejected(String protocol, Rejection rejection) {
    return frontends.limits.rejections(protocol, rejection);
  }

  /** EOF or a reset within the read timeout: the balancer closed the client. */
  private static boolean closedByPeer(Socket socket) throws IOException {
    socket.setSoTimeout(20_000);
    try {
      return socket.getInputStream().read() == -1;
    } catch (SocketException reset) {
      return true;
    }
  }

  private static Socket connectFrom(String source, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(20_000);
    return socket;
  }

  @Test
  void shouldCloseTcpClientsPastTheCapAndAdmitAgainWhenTheFrontendIsFull() throws Exception {
    start(Map.of("LB_MAXCONN", "2"));
    try (Socket first = TcpClients.connect(frontends.tcpPort());
        Socket second = TcpClients.connect(frontends.tcpPort())) {
      TcpClients.roundTrip(first, "one");
      TcpClients.roundTrip(second, "two");

      try (Socket third = TcpClients.connect(frontends.tcpPort())) {
        assertThat(closedByPeer(third)).isTrue();
      }
      assertThat(rejected("tcp", Rejection.FRONTEND_FULL)).isEqualTo(1);
    }
    Eventually.until(WAIT, "both places are given back", () -> frontends.limits.tcp().open() == 0);
    try (Socket again = TcpClients.connect(frontends.tcpPort())) {
      TcpClients.roundTrip(again, "again");
    }
  }

  @Test
  void shouldAnswer503WithRetryAfterAndCloseWhenTheHttpFrontendIsFull() throws Exception {
    start(Map.of("LB_MAXCONN", "1", "LB_RETRY_AFTER", "2s"));
    try (Socket holder = TcpClients.connect(frontends.httpPort())) {
      // Vert.x makes it an HTTP connection once its first bytes came: one request, kept alive.
      String held = RawHttp.get(holder, "/info");
      assertThat(held).startsWith("HTTP/1.1 503 ").doesNotContainIgnoringCase("connection: close");
      assertThat(held).containsIgnoringCase("content-type: text/plain");
      assertThat(frontends.limits.http().open()).isEqualTo(1);
      try (Socket late = TcpClients.connect(frontends.httpPort())) {
        String head = RawHttp.get(late, "/info");

        assertThat(head).startsWith("HTTP/1.1 503 ").contains("Retry-After: 2");
        assertThat(head).containsIgnoringCase("connection: close");
        assertThat(RawHttp.closedAfterBody(late)).isTrue();
      }
    }
    assertThat(rejected("http", Rejection.FRONTEND_FULL)).isEqualTo(1);
  }

  @Test
  void shouldQueueADialUntilASlotFreesWhenTheBackendIsAtItsCap() throws Exception {
    start(Map.of("LB_BACKEND_MAXCONN", "1", "LB_QUEUE_TIMEOUT", "30s"));
    Socket holder = TcpClients.connect(frontends.tcpPort());
    TcpClients.roundTrip(holder, "holds the only slot");
    try (Socket waiting = TcpClients.connect(frontends.tcpPort())) {
      Eventually.until(
          WAIT,
          "the second client waits in the queue",
          () -> frontends.limits.queues().length("echo") == 1);

      holder.close();

      TcpClients.roundTrip(waiting, "served once the slot is free");
      assertThat(frontends.limits.queues().peak("echo")).isEqualTo(1);
      assertThat(frontends.active(ServiceInstance.ECHO, "echo-1")).isEqualTo(1);
    }
  }

  @Test
  void shouldCloseAQueuedTcpClientWhenTheQueueTimeoutPasses() throws Exception {
    start(Map.of("LB_BACKEND_MAXCONN", "1", "LB_QUEUE_TIMEOUT", "200ms"));
    try (Socket holder = TcpClients.connect(frontends.tcpPort())) {
      TcpClients.roundTrip(holder, "holds the only slot");
      try (Socket waiting = TcpClients.connect(frontends.tcpPort())) {
        assertThat(closedByPeer(waiting)).isTrue();
      }
      assertThat(rejected("tcp", Rejection.QUEUE_TIMEOUT)).isEqualTo(1);
      TcpClients.roundTrip(holder, "the holder is untouched");
    }
  }

  @Test
  void shouldCloseAClientAtOnceWhenTheQueueIsFull() throws Exception {
    start(Map.of("LB_BACKEND_MAXCONN", "1", "LB_MAXQUEUE", "1", "LB_QUEUE_TIMEOUT", "30s"));
    try (Socket holder = TcpClients.connect(frontends.tcpPort());
        Socket queued = TcpClients.connect(frontends.tcpPort())) {
      TcpClients.roundTrip(holder, "holds the only slot");
      Eventually.until(WAIT, "one waits", () -> frontends.limits.queues().length("echo") == 1);

      try (Socket turnedAway = TcpClients.connect(frontends.tcpPort())) {
        assertThat(closedByPeer(turnedAway)).isTrue();
      }
      assertThat(rejected("tcp", Rejection.QUEUE_FULL)).isEqualTo(1);
    }
  }

  @Test
  void shouldAnswer503WithRetryAfterWhenAnUpgradeWaitsPastTheQueueTimeout() throws Exception {
    start(Map.of("LB_BACKEND_MAXCONN", "1", "LB_QUEUE_TIMEOUT", "200ms"));
    // The ws service's only backend accepts and never answers: the first upgrade holds its slot.
    int silent =
        frontends
            .origins
            .createNetServer()
            .connectHandler(socket -> {})
            .listen(0, "127.0.0.1")
            .timeout(30, TimeUnit.SECONDS)
            .await()
            .actualPort();
    frontends.backendUp("ws-1", ServiceInstance.WS, silent);
    try (Socket holder = TcpClients.connect(frontends.httpPort())) {
      holder
          .getOutputStream()
          .write(
              ("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      + "Sec-WebSocket-Version: 13\r\n\r\n")
                  .getBytes());
      Eventually.until(
          WAIT,
          "the first upgrade holds ws-1's slot",
          () -> frontends.active(ServiceInstance.WS, "ws-1") == 1);

      int status = frontends.clients.rejectedUpgrade(frontends.httpPort(), "/ws").getStatus();

      assertThat(status).isEqualTo(503);
      assertThat(rejected("websocket", Rejection.QUEUE_TIMEOUT)).isEqualTo(1);
    }
  }

  @Test
  void shouldCloseAThirdConnectionFromOneAddressButAdmitAnotherAddressWhenTheClientCapIsTwo()
      throws Exception {
    start(Map.of("LB_CLIENT_MAXCONN", "2"));
    try (Socket a = connectFrom("127.0.0.1", frontends.tcpPort());
        Socket b = connectFrom("127.0.0.1", frontends.tcpPort())) {
      TcpClients.roundTrip(a, "a");
      TcpClients.roundTrip(b, "b");
      try (Socket c = connectFrom("127.0.0.1", frontends.tcpPort())) {
        assertThat(closedByPeer(c)).isTrue();
      }
      try (Socket other = connectFrom("127.0.0.2", frontends.tcpPort())) {
        TcpClients.roundTrip(other, "another client address");
      }
    }
    assertThat(rejected("tcp", Rejection.CLIENT_CONNECTIONS)).isEqualTo(1);
  }

  @Test
  void shouldAnswer429WithRetryAfterOnTheSameConnectionWhenAClientExceedsItsRate()
      throws Exception {
    start(Map.of("LB_CLIENT_RATE", "1", "LB_CLIENT_BURST", "3", "LB_RETRY_AFTER", "1s"));
    try (Socket socket = TcpClients.connect(frontends.httpPort())) {
      // The connection took one token, two requests take the rest (no ws backend: 503s); one
      // token a second comes back, far slower than the requests below.
      assertThat(RawHttp.get(socket, "/info")).startsWith("HTTP/1.1 503 ");
      assertThat(RawHttp.get(socket, "/info")).startsWith("HTTP/1.1 503 ");
      String limited = null;
      for (int i = 0; i < 8 && limited == null; i++) {
        String head = RawHttp.get(socket, "/info");
        if (head.startsWith("HTTP/1.1 429 ")) {
          limited = head;
        }
      }

      assertThat(limited).isNotNull().contains("Retry-After: 1");
      assertThat(limited).doesNotContainIgnoringCase("connection: close");
      assertThat(RawHttp.get(socket, "/info"))
          .as("the same connection still answers")
          .startsWith("HTTP/1.1 ");
    }
    assertThat(rejected("http", Rejection.CLIENT_RATE)).isPositive();
  }
}
