package io.roundhouse.lb.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.roundhouse.lb.backend.OutboundDialer;
import io.roundhouse.net.ChannelSplice;
import io.roundhouse.net.Sockets;
import io.roundhouse.net.SpliceLeg;
import io.roundhouse.registry.ServiceInstance;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The backend side of an upgrade against in-process loopback origins: no cluster, no balancer. */
class BackendHandshakeTest {

  private static final String SWITCHED =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

  private final Vertx vertx = Vertx.vertx();
  private final EventLoop loop = ((ContextInternal) vertx.getOrCreateContext()).nettyEventLoop();
  private final OutboundDialer dialer =
      new OutboundDialer((VertxInternal) vertx, loop, Duration.ofSeconds(5));
  private final Promise<String> requestSeen = Promise.promise();

  @AfterEach
  void close() {
    vertx.close().timeout(10, TimeUnit.SECONDS).await();
  }

  /** An origin that reads the request head, then does {@code answer} with the socket. */
  private int origin(Consumer<NetSocket> answer) {
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                socket -> {
                  Buffer head = Buffer.buffer();
                  socket.handler(
                      bytes -> {
                        head.appendBuffer(bytes);
                        if (!requestSeen.future().isComplete()
                            && head.toString().contains("\r\n\r\n")) {
                          requestSeen.complete(head.toString());
                          answer.accept(socket);
                        }
                      });
                });
    return server.listen(0, "127.0.0.1").timeout(10, TimeUnit.SECONDS).await().actualPort();
  }

  private static FullHttpRequest upgrade() {
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws", Unpooled.EMPTY_BUFFER);
    request.headers().add("Host", "backend").add("Upgrade", "websocket");
    request.headers().add("Connection", "Upgrade");
    return request;
  }

  /** Dials like the balancer: a held channel on an event loop of this test's Vert.x. */
  private Future<SpliceLeg> dial(int port) {
    return dialer.dial(new ServiceInstance("origin", ServiceInstance.WS, "127.0.0.1", port, "m"));
  }

  private Future<UpgradeAnswer> handshake(SpliceLeg outbound, Duration timeout) {
    return BackendHandshake.perform(outbound, upgrade(), timeout);
  }

  private Future<UpgradeAnswer> handshake(int port, Duration timeout) {
    return dial(port).compose(outbound -> handshake(outbound, timeout));
  }

  private UpgradeAnswer answer(int port) {
    return handshake(port, Duration.ofSeconds(10)).timeout(20, TimeUnit.SECONDS).await();
  }

  /** A loopback sink that collects what a splice writes to it. */
  private record Sink(SpliceLeg leg, Future<Buffer> received) {}

  private Sink sink(int expectedBytes) {
    Promise<Buffer> received = Promise.promise();
    Buffer collected = Buffer.buffer();
    int port =
        vertx
            .createNetServer()
            .connectHandler(
                s ->
                    s.handler(
                        b -> {
                          collected.appendBuffer(b);
                          if (collected.length() >= expectedBytes) {
                            received.tryComplete(collected);
                          }
                        }))
            .listen(0, "127.0.0.1")
            .timeout(10, TimeUnit.SECONDS)
            .await()
            .actualPort();
    return new Sink(dial(port).timeout(10, TimeUnit.SECONDS).await(), received.future());
  }

  @Test
  void shouldSendTheUpgradeRequestWhenConnected() {
    int port = origin(socket -> socket.write(SWITCHED));

    answer(port);

    assertThat(requestSeen.future().result())
        .startsWith("GET /ws HTTP/1.1\r\n")
        .contains("Upgrade: websocket\r\n", "Connection: Upgrade\r\n");
  }

  @Test
  void shouldKeepEveryByteAfterThe101WhenTheFirstFrameSharesItsRead() {
    // The 101 and the first frame in one write; later bytes must arrive raw, not parsed as HTTP.
    int port =
        origin(
            socket ->
                socket
                    .write(SWITCHED + "first-frame")
                    .onSuccess(v -> socket.write("HTTP/1.1 200 later bytes")));

    SpliceLeg outbound = dial(port).timeout(10, TimeUnit.SECONDS).await();
    UpgradeAnswer answer =
        handshake(outbound, Duration.ofSeconds(10)).timeout(20, TimeUnit.SECONDS).await();
    Sink sink = sink("first-frameHTTP/1.1 200 later bytes".length());
    loop.execute(() -> ChannelSplice.start(outbound, sink.leg()));

    assertThat(answer.switched()).isTrue();
    assertThat(answer.status()).isEqualTo(101);
    assertThat(answer.headers().get("Sec-WebSocket-Accept"))
        .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    assertThat(outbound.channel().pipeline().names())
        .as("the codec is gone: the channel is raw for the splice")
        .noneMatch(name -> name.startsWith("roundhouse-upgrade"));
    assertThat(sink.received().timeout(10, TimeUnit.SECONDS).await().toString())
        .isEqualTo("first-frameHTTP/1.1 200 later bytes");
  }

  @Test
  void shouldFailWhenThe101HasNoAccept() {
    int port =
        origin(
            socket ->
                socket.write(
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\n\r\n"));

    assertThatThrownBy(() -> answer(port))
        .isInstanceOf(UpgradeException.class)
        .hasMessageContaining("Sec-WebSocket-Accept");
  }

  @Test
  void shouldFailWhenBackendHalfClosesBeforeAnswering() {
    int port = origin(socket -> Sockets.shutdownOutput(socket));

    assertThatThrownBy(() -> answer(port))
        .isInstanceOf(UpgradeException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void shouldReturnTheWholeRefusalWhenBackendDoesNotSwitch() {
    int port =
        origin(
            socket ->
                socket.write(
                    "HTTP/1.1 403 Forbidden\r\nX-Why: full\r\nContent-Length: 9\r\n\r\nroom full"));

    UpgradeAnswer answer = answer(port);

    assertThat(answer.switched()).isFalse();
    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.headers().get("X-Why")).isEqualTo("full");
    assertThat(answer.body().toString()).isEqualTo("room full");
  }

  @Test
  void shouldReadRefusalBodyUntilCloseWhenItHasNoLength() {
    int port =
        origin(
            socket ->
                socket
                    .write("HTTP/1.1 400 Bad Request\r\n\r\nno key")
                    .onSuccess(v -> socket.close()));

    UpgradeAnswer answer = answer(port);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().toString()).isEqualTo("no key");
  }

  @Test
  void shouldFailWithTimeoutWhenBackendNeverAnswers() {
    int port = origin(socket -> {});

    assertThatThrownBy(
            () -> handshake(port, Duration.ofMillis(200)).timeout(20, TimeUnit.SECONDS).await())
        .isInstanceOf(TimeoutException.class);
    assertThat(GatewayErrors.status(new TimeoutException())).isEqualTo(504);
  }

  @Test
  void shouldFailWhenBackendClosesBeforeAnswering() {
    int port = origin(NetSocket::close);

    assertThatThrownBy(() -> answer(port))
        .isInstanceOf(UpgradeException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void shouldFailWhenTheAnswerIsNotHttp() {
    int port = origin(socket -> socket.write("SSH-2.0-OpenSSH_9.2\r\n\r\n"));

    assertThatThrownBy(() -> answer(port)).isInstanceOf(UpgradeException.class);
  }

  @Test
  void shouldFailWhenTheRefusalIsTooLargeToRelay() {
    int size = BackendHandshake.MAX_REFUSAL_BODY + 1;
    int port =
        origin(
            socket ->
                socket.write(
                    "HTTP/1.1 500 Oops\r\nContent-Length: "
                        + size
                        + "\r\n\r\n"
                        + "x".repeat(size)));

    assertThatThrownBy(() -> answer(port))
        .isInstanceOf(UpgradeException.class)
        .hasMessageContaining("over");
  }
}
