package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.testing.Eventually;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP frontend's client-side timeouts, with short settings: a request's head and the whole
 * request must arrive in time (408 and a close), and a client that stops reading what it is owed is
 * closed, on plain HTTP and in a tunnel. Waits are bounded by conditions, never by durations.
 */
class HttpTimeoutsFrontendTest {

  private static final Buffer CHUNK = Buffer.buffer(new byte[16 * 1024]);
  private static Frontends frontends;

  @BeforeAll
  static void start() {
    frontends =
        new Frontends(
            Map.of(
                "LB_HEADER_TIMEOUT", "500ms",
                "LB_REQUEST_TIMEOUT", "1500ms",
                "LB_CLIENT_WRITE_TIMEOUT", "500ms",
                // Long: a connection left open by a missing timeout shows as a read timeout.
                "LB_HTTP_IDLE_TIMEOUT", "60s",
                "LB_TUNNEL_IDLE_TIMEOUT", "60s"));
    int port =
        frontends.httpOrigin(
            req -> {
              switch (req.path()) {
                case "/flood" -> flood(req.response().setChunked(true));
                case "/ws-flood" -> req.toWebSocket().onSuccess(HttpTimeoutsFrontendTest::flood);
                default -> req.body().onSuccess(body -> req.response().end("ok"));
              }
            });
    frontends.backendUp("origin-1", ServiceInstance.WS, port);
  }

  @AfterAll
  static void stop() {
    if (frontends != null) {
      frontends.close();
    }
  }

  /** Writes for as long as the response can take it, with backpressure, until it is closed. */
  private static void flood(HttpServerResponse response) {
    response.exceptionHandler(e -> {});
    while (!response.closed() && !response.writeQueueFull()) {
      response.write(CHUNK);
    }
    if (!response.closed()) {
      response.drainHandler(v -> flood(response));
    }
  }

  private static void flood(ServerWebSocket socket) {
    socket.exceptionHandler(e -> {});
    while (!socket.isClosed() && !socket.writeQueueFull()) {
      socket.writeBinaryMessage(CHUNK);
    }
    if (!socket.isClosed()) {
      socket.drainHandler(v -> flood(socket));
    }
  }

  private static double rejections(String reason) {
    return frontends.rejections(reason);
  }

  /** Sends {@code bytes} one at a time, paced like a slow client, until the socket fails. */
  private static CompletableFuture<Void> trickle(Socket socket, String bytes) {
    AtomicBoolean stopped = new AtomicBoolean();
    return CompletableFuture.runAsync(
        () -> {
          try {
            for (int i = 0; !stopped.get(); i = (i + 1) % bytes.length()) {
              socket.getOutputStream().write(bytes.charAt(i));
              socket.getOutputStream().flush();
              TimeUnit.MILLISECONDS.sleep(100);
            }
          } catch (IOException | InterruptedException closed) {
            stopped.set(true);
          }
        });
  }

  @Test
  void shouldAnswer408AndCloseWhenHeadersTrickleInPastTheHeaderTimeout() throws Exception {
    double before = rejections("header_timeout");
    try (Socket socket = TcpClients.connect(frontends.httpPort())) {
      RawHttp.write(socket, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      // A byte every 100 ms keeps the idle timeout from ever firing.
      trickle(socket, "a");

      RawHttp.Answer answer = RawHttp.readToClose(socket);

      assertThat(answer.status()).isEqualTo(408);
    }
    assertThat(rejections("header_timeout")).isEqualTo(before + 1);
  }

  @Test
  void shouldAnswer408WhenConnectionSendsNothing() throws Exception {
    try (Socket socket = TcpClients.connect(frontends.httpPort())) {
      assertThat(RawHttp.readToClose(socket).status()).isEqualTo(408);
    }
  }

  @Test
  void shouldTimeEachRequestOnItsOwnWhenConnectionIsKeptAlive() throws Exception {
    try (Socket idle = TcpClients.connect(frontends.httpPort());
        Socket trickling = TcpClients.connect(frontends.httpPort())) {
      RawHttp.write(idle, "GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(RawHttp.readHead(idle)).startsWith("HTTP/1.1 200 ");
      assertThat(idle.getInputStream().readNBytes(2)).isEqualTo("ok".getBytes());
      RawHttp.write(trickling, "GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(RawHttp.readHead(trickling)).startsWith("HTTP/1.1 200 ");
      assertThat(trickling.getInputStream().readNBytes(2)).isEqualTo("ok".getBytes());

      // The second request on a kept-alive connection gets its own header timeout ...
      trickle(trickling, "X");
      RawHttp.Answer answer = RawHttp.readToClose(trickling);
      assertThat(answer.status()).isEqualTo(408);

      // ... counted from its first byte: the idle connection, quiet for longer, still serves.
      RawHttp.write(idle, "GET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(RawHttp.readToClose(idle).statusLine()).startsWith("HTTP/1.1 200 ");
    }
  }

  @Test
  void shouldAnswer408AndReleaseTheBackendWhenBodyTricklesInPastTheRequestTimeout()
      throws Exception {
    double before = rejections("request_timeout");
    try (Socket socket = TcpClients.connect(frontends.httpPort())) {
      RawHttp.write(socket, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
      trickle(socket, "b");

      RawHttp.Answer answer = RawHttp.readToClose(socket);

      assertThat(answer.status()).isEqualTo(408);
    }
    assertThat(rejections("request_timeout")).isEqualTo(before + 1);
    Eventually.until(
        Duration.ofSeconds(20),
        "the backend's count is released",
        () -> frontends.active(ServiceInstance.WS, "origin-1") == 0);
  }

  /** A client that reads nothing: a small receive buffer, so the balancer backs up at once. */
  private static Socket stalledClient() throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", frontends.httpPort()), 5_000);
    socket.setSoTimeout(20_000);
    return socket;
  }

  private static void awaitWriteTimeout(double before) {
    Eventually.until(
        Duration.ofSeconds(20),
        "the balancer closes the client that stopped reading",
        () -> rejections("client_write_timeout") > before);
  }

  @Test
  void shouldCloseClientThatStopsReadingAProxiedResponse() throws Exception {
    double before = rejections("client_write_timeout");
    try (Socket socket = stalledClient()) {
      RawHttp.write(socket, "GET /flood HTTP/1.1\r\nHost: x\r\n\r\n");

      awaitWriteTimeout(before);

      // What was already in flight drains, then the connection ends.
      assertThat(RawHttp.readToClose(socket).statusLine()).startsWith("HTTP/1.1 200 ");
    }
    Eventually.until(
        Duration.ofSeconds(20),
        "the backend's count is released",
        () -> frontends.active(ServiceInstance.WS, "origin-1") == 0);
  }

  @Test
  void shouldCloseClientThatStopsReadingATunnel() throws Exception {
    double before = rejections("client_write_timeout");
    try (Socket socket = stalledClient()) {
      RawHttp.write(
          socket,
          "GET /ws-flood HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
      assertThat(RawHttp.readHead(socket)).startsWith("HTTP/1.1 101 ");

      awaitWriteTimeout(before);

      RawHttp.readToClose(socket);
    }
    Eventually.until(
        Duration.ofSeconds(20),
        "the tunnel's backend count is released",
        () -> frontends.active(ServiceInstance.WS, "origin-1") == 0);
  }
}
