package io.roundhouse.net;

import static io.roundhouse.net.Loopback.await;
import static io.roundhouse.net.Loopback.crc;
import static io.roundhouse.net.Loopback.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Netty-level helpers, on real loopback connections. */
class SocketsTest {

  private static final int SMALL = 16 * 1024;

  private final Loopback loopback = Loopback.start();

  @AfterEach
  void close() {
    loopback.close();
  }

  private record Upgraded(NetSocket socket, NetSocket client) {}

  /**
   * The socket an HTTP server hands over for a CONNECT (or an upgrade), as the WebSocket tunnel
   * gets its inbound socket: it inherits the server's one-hour idle timeout, with the pipeline
   * Vert.x built for HTTP.
   */
  private Upgraded upgradedHttpSocket() {
    Promise<NetSocket> upgraded = Promise.promise();
    int port =
        loopback.onFuture(
            () ->
                loopback
                    .vertx()
                    .createHttpServer(
                        new HttpServerOptions()
                            .setIdleTimeout(1)
                            .setIdleTimeoutUnit(TimeUnit.HOURS))
                    .requestHandler(request -> request.toNetSocket().onComplete(upgraded))
                    .listen(0, "127.0.0.1")
                    .map(server -> server.actualPort()));
    NetSocket client = loopback.onFuture(() -> loopback.client().connect(port, "127.0.0.1"));
    client.write("CONNECT backend:80 HTTP/1.1\r\nHost: backend:80\r\n\r\n");
    return new Upgraded(await(upgraded.future()), client);
  }

  private static List<ChannelHandler> idleHandlers(NetSocket socket) {
    ChannelPipeline pipeline = Sockets.channel(socket).pipeline();
    return pipeline.toMap().values().stream()
        .filter(handler -> handler instanceof IdleStateHandler)
        .toList();
  }

  private Map.Entry<String, ChannelHandler> idleEntry(NetSocket socket) {
    return loopback.on(
        () ->
            Sockets.channel(socket).pipeline().toMap().entrySet().stream()
                .filter(entry -> entry.getValue() instanceof IdleStateHandler)
                .findFirst()
                .orElseThrow());
  }

  /**
   * {@link Sockets#setIdleTimeout} finds Vert.x's handler by name: if a Vert.x upgrade renames it,
   * this fails, rather than the tunnel quietly keeping the keep-alive timeout as well as its own.
   */
  @Test
  void shouldFindVertxsIdleHandlerUnderTheNameSocketsReplacesWhenTheServerHasAnIdleTimeout() {
    Upgraded upgraded = upgradedHttpSocket();

    Map.Entry<String, ChannelHandler> idle = idleEntry(upgraded.socket());

    assertThat(idle.getKey()).isEqualTo("idle");
    assertThat(((IdleStateHandler) idle.getValue()).getAllIdleTimeInMillis())
        .isEqualTo(TimeUnit.HOURS.toMillis(1));
  }

  @Test
  void shouldReplaceTheInheritedIdleTimeoutWhenSetIdleTimeoutIsCalled() {
    Upgraded upgraded = upgradedHttpSocket();
    Promise<Void> closed = Promise.promise();
    upgraded.socket().closeHandler(v -> closed.tryComplete());

    loopback.run(() -> Sockets.setIdleTimeout(upgraded.socket(), Duration.ofMillis(200)));

    List<ChannelHandler> handlers = loopback.on(() -> idleHandlers(upgraded.socket()));
    assertThat(handlers).hasSize(1);
    assertThat(((IdleStateHandler) handlers.get(0)).getAllIdleTimeInMillis()).isEqualTo(200);
    await(closed.future());
  }

  @Test
  void shouldRemoveTheIdleHandlerWhenTheTimeoutIsZero() {
    Upgraded upgraded = upgradedHttpSocket();

    loopback.run(() -> Sockets.setIdleTimeout(upgraded.socket(), Duration.ZERO));

    assertThat(loopback.on(() -> idleHandlers(upgraded.socket()))).isEmpty();
    assertThat(Sockets.isOpen(upgraded.socket())).isTrue();
  }

  @Test
  void shouldCloseAnIdleSocketWhenAnIdleTimeoutIsSetOnASocketThatHadNone() {
    LoopbackPair pair = loopback.pair();
    assertThat(loopback.on(() -> idleHandlers(pair.server()))).isEmpty();
    Promise<Void> closed = Promise.promise();
    pair.server().closeHandler(v -> closed.tryComplete());

    loopback.run(() -> Sockets.setIdleTimeout(pair.server(), Duration.ofMillis(200)));

    await(closed.future());
  }

  @Test
  void shouldReportOpenWhileTheConnectionIsUp() {
    LoopbackPair pair = loopback.pair();

    assertThat(Sockets.isOpen(pair.server())).isTrue();
    assertThat(Sockets.isOpen(pair.client())).isTrue();
  }

  @Test
  void shouldReportClosedWhenTheSocketOrItsPeerClosed() {
    LoopbackPair pair = loopback.pair();
    Promise<Void> serverClosed = Promise.promise();
    pair.server().closeHandler(v -> serverClosed.tryComplete());

    await(pair.client().close());
    await(serverClosed.future());

    assertThat(Sockets.isOpen(pair.client())).isFalse();
    assertThat(Sockets.isOpen(pair.server())).isFalse();
  }

  @Test
  void shouldReportOpenForAStreamWithoutAChannelEvenOnceItClosed() {
    LoopbackPair pair = loopback.pair();
    await(pair.client().close());

    assertThat(Sockets.isOpen(PlainStream.of(pair.client()))).isTrue();
  }

  @Test
  void shouldKeepTheSocketOpenAfterThePeersFinWhenHalfClosureIsAllowed() {
    Promise<Void> fin = Promise.promise();
    LoopbackPair pair =
        loopback.pair(
            new NetServerOptions(),
            new NetClientOptions(),
            socket -> {
              Sockets.allowHalfClosure(socket);
              ((NetSocketInternal) socket)
                  .eventHandler(
                      event -> {
                        if (event == ChannelInputShutdownEvent.INSTANCE) {
                          fin.tryComplete();
                        }
                      });
            });
    Peer client = loopback.on(() -> Peer.of(pair.client()));

    await(client.shutdownOutput());
    await(fin.future());
    pair.server().write("still answering");

    assertThat(client.awaitReceived(15).toString()).isEqualTo("still answering");
    assertThat(Sockets.isOpen(pair.server())).isTrue();
  }

  @Test
  void shouldCloseTheSocketOnThePeersFinWhenHalfClosureIsNotAllowed() {
    LoopbackPair pair = loopback.pair();
    Promise<Void> closed = Promise.promise();
    pair.server().closeHandler(v -> closed.tryComplete());
    Peer client = loopback.on(() -> Peer.of(pair.client()));

    await(client.shutdownOutput());

    await(closed.future());
  }

  @Test
  void shouldSendEveryQueuedByteBeforeTheFinWhenShuttingDownOutput() {
    AtomicReference<Peer> receiver = new AtomicReference<>();
    LoopbackPair pair =
        loopback.pair(
            new NetServerOptions().setReceiveBufferSize(SMALL),
            new NetClientOptions().setSendBufferSize(SMALL),
            socket -> receiver.set(Peer.of(socket)));
    Buffer sent = randomBytes(4 * 1024 * 1024, 5);

    pair.client().write(sent);
    Sockets.shutdownOutput(pair.client());

    await(receiver.get().fin());
    assertThat(receiver.get().receivedLength()).isEqualTo(sent.length());
    assertThat(crc(receiver.get().awaitReceived(sent.length()))).isEqualTo(crc(sent));
  }

  /**
   * Netty completes a write before it lowers the channel's pending bytes, so a shutdown made as the
   * last write completes (as a relay's end does) finds the channel still unwritable. Had it shut
   * the output there, Vert.x, which caches writability, would queue its flush-then-close behind a
   * channel that never becomes writable again: {@code close()} would never complete.
   */
  @Test
  void shouldStayClosableWhenShuttingDownOutputAsABackpressuredWriteCompletes() {
    AtomicReference<Peer> receiver = new AtomicReference<>();
    LoopbackPair pair =
        loopback.pair(
            new NetServerOptions().setReceiveBufferSize(SMALL),
            new NetClientOptions().setSendBufferSize(SMALL),
            socket -> receiver.set(Peer.of(socket)));
    receiver.get().pause();
    Buffer sent = randomBytes(4 * 1024 * 1024, 6);
    Promise<Void> shutDown = Promise.promise();

    loopback.run(
        () ->
            pair.client()
                .write(sent)
                .onComplete(written -> Sockets.shutdownOutput(pair.client()).onComplete(shutDown)));
    receiver.get().resume();
    await(shutDown.future());
    await(receiver.get().fin());

    await(pair.client().close());
    assertThat(Sockets.isOpen(pair.client())).isFalse();
    assertThat(crc(receiver.get().awaitReceived(sent.length()))).isEqualTo(crc(sent));
  }

  @Test
  void shouldKeepReceivingWhenItsOwnOutputIsShutDown() {
    AtomicReference<Peer> server = new AtomicReference<>();
    LoopbackPair pair =
        loopback.pair(
            new NetServerOptions(), new NetClientOptions(), socket -> server.set(Peer.of(socket)));
    Peer client = loopback.on(() -> Peer.of(pair.client()));

    await(client.shutdownOutput());
    await(server.get().fin());
    server.get().write(Buffer.buffer("late answer"));

    assertThat(client.awaitReceived(11).toString()).isEqualTo("late answer");
  }

  @Test
  void shouldCloseAStreamWithoutAChannelWhenAskedToShutItsOutput() {
    AtomicReference<Peer> server = new AtomicReference<>();
    LoopbackPair pair =
        loopback.pair(
            new NetServerOptions(), new NetClientOptions(), socket -> server.set(Peer.of(socket)));

    await(Sockets.shutdownOutput(PlainStream.of(pair.client())));

    assertThat(Sockets.isOpen(pair.client())).isFalse();
    await(server.get().fin());
  }

  @Test
  void shouldCompleteWhenShuttingDownTheOutputOfAClosedSocket() {
    LoopbackPair pair = loopback.pair();
    await(pair.client().close());

    await(Sockets.shutdownOutput(pair.client()));

    assertThat(Sockets.isOpen(pair.client())).isFalse();
  }
}
