package io.roundhouse.net;

import static io.roundhouse.net.Loopback.await;
import static io.roundhouse.net.Loopback.crc;
import static io.roundhouse.net.Loopback.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A splice between two real loopback connections, set up as the TCP frontend sets one up: client
 * peer, inbound socket (held from its accept), outbound socket, backend peer.
 */
class SpliceTest {

  private static final int SMALL = 16 * 1024;

  private static final int FEW_MB = 4 * 1024 * 1024;

  private final Loopback loopback = Loopback.start();

  @AfterEach
  void close() {
    loopback.close();
  }

  private record Tunnel(
      Peer client, NetSocket inbound, NetSocket outbound, Peer backend, Splice splice) {}

  /** The TCP frontend's splice: half-closure allowed on both sockets. */
  private Tunnel tunnel() {
    return tunnel(true);
  }

  /**
   * Holds the inbound socket from its accept and the outbound from its connect, then splices. The
   * outbound side's kernel buffers and write queue are small, so that a backend that stops reading
   * soon makes the splice pause the client.
   */
  private Tunnel tunnel(boolean halfClosure) {
    AtomicReference<Relay> inboundReader = new AtomicReference<>();
    LoopbackPair front =
        loopback.pair(
            new NetServerOptions(),
            new NetClientOptions(),
            socket -> {
              if (halfClosure) {
                Sockets.allowHalfClosure(socket);
              }
              inboundReader.set(Relay.hold(socket));
            });
    AtomicReference<Peer> backend = new AtomicReference<>();
    LoopbackPair back =
        loopback.pair(
            new NetServerOptions().setReceiveBufferSize(SMALL),
            new NetClientOptions().setSendBufferSize(SMALL),
            socket -> backend.set(Peer.of(socket)));
    return loopback.on(
        () -> {
          Peer client = Peer.of(front.client());
          NetSocket outbound = back.client();
          outbound.setWriteQueueMaxSize(SMALL);
          if (halfClosure) {
            Sockets.allowHalfClosure(outbound);
          }
          Splice splice =
              Splice.start(front.server(), inboundReader.get(), outbound, Relay.hold(outbound));
          return new Tunnel(client, front.server(), outbound, backend.get(), splice);
        });
  }

  /** Vert.x stops reading a paused socket once a few reads queue up in it (see RelayTest). */
  private static void awaitPaused(NetSocket socket) {
    Loopback.until(
        "the splice paused " + socket, () -> !Sockets.channel(socket).config().isAutoRead());
  }

  private static void assertSame(Buffer received, Buffer sent) {
    assertThat(received.length()).isEqualTo(sent.length());
    assertThat(crc(received)).isEqualTo(crc(sent));
  }

  @Test
  void shouldForwardTheFinAndKeepTheBackendsDirectionFlowingWhenTheClientShutsItsOutput() {
    Tunnel tunnel = tunnel();
    Buffer request = randomBytes(256 * 1024, 1);

    tunnel.client().write(request);
    tunnel.client().shutdownOutput();

    await(tunnel.backend().fin());
    assertSame(tunnel.backend().awaitReceived(request.length()), request);
    Buffer response = randomBytes(FEW_MB, 2);
    tunnel.backend().write(response);
    assertSame(tunnel.client().awaitReceived(response.length()), response);
    assertThat(tunnel.client().fin().isComplete()).isFalse();
    assertThat(Sockets.isOpen(tunnel.inbound())).isTrue();
    assertThat(Sockets.isOpen(tunnel.outbound())).isTrue();
  }

  @Test
  void shouldForwardTheFinAndKeepTheClientsDirectionFlowingWhenTheBackendShutsItsOutput() {
    Tunnel tunnel = tunnel();
    Buffer greeting = randomBytes(256 * 1024, 3);

    tunnel.backend().write(greeting);
    tunnel.backend().shutdownOutput();

    await(tunnel.client().fin());
    assertSame(tunnel.client().awaitReceived(greeting.length()), greeting);
    Buffer upload = randomBytes(FEW_MB, 4);
    tunnel.client().write(upload);
    assertSame(tunnel.backend().awaitReceived(upload.length()), upload);
    assertThat(tunnel.backend().fin().isComplete()).isFalse();
    assertThat(Sockets.isOpen(tunnel.inbound())).isTrue();
    assertThat(Sockets.isOpen(tunnel.outbound())).isTrue();
  }

  /**
   * After both FINs nothing more crosses the wire, so the peers cannot see the close: the splice's
   * own sockets must be closed by the splice.
   */
  @Test
  void shouldCloseBothSocketsWhenBothDirectionsEnded() {
    Tunnel tunnel = tunnel();

    tunnel.client().write(Buffer.buffer("ping"));
    tunnel.client().shutdownOutput();
    await(tunnel.backend().fin());
    tunnel.backend().write(Buffer.buffer("pong"));
    tunnel.backend().shutdownOutput();
    await(tunnel.client().fin());

    await(tunnel.splice().closed());
    assertThat(Sockets.isOpen(tunnel.inbound())).isFalse();
    assertThat(Sockets.isOpen(tunnel.outbound())).isFalse();
    assertThat(tunnel.backend().awaitReceived(4).toString()).isEqualTo("ping");
    assertThat(tunnel.client().awaitReceived(4).toString()).isEqualTo("pong");
  }

  /**
   * The same when the client's last bytes were held back by a slow backend, so that the relay's
   * end, and the FIN passed on, come as the outbound's last write completes (see SocketsTest).
   */
  @Test
  void shouldCloseBothSocketsWhenBothDirectionsEndedAfterABackpressuredTransfer() {
    Tunnel tunnel = tunnel();
    tunnel.backend().pause();
    Buffer upload = randomBytes(FEW_MB, 8);
    tunnel.client().write(upload);
    tunnel.client().close();
    awaitPaused(tunnel.inbound());
    tunnel.backend().resume();
    await(tunnel.backend().fin());

    tunnel.backend().shutdownOutput();

    await(tunnel.splice().closed());
    assertThat(Sockets.isOpen(tunnel.inbound())).isFalse();
    assertThat(Sockets.isOpen(tunnel.outbound())).isFalse();
    assertSame(tunnel.backend().awaitReceived(upload.length()), upload);
  }

  @Test
  void shouldDeliverEveryByteWrittenJustBeforeACloseWhenTheBackendIsSlow() {
    Tunnel tunnel = tunnel();
    tunnel.backend().pause();
    Buffer upload = randomBytes(FEW_MB, 5);

    tunnel.client().write(upload);
    tunnel.client().close();
    awaitPaused(tunnel.inbound());
    tunnel.backend().resume();

    await(tunnel.backend().fin());
    assertSame(tunnel.backend().awaitReceived(upload.length()), upload);
  }

  /** The WebSocket tunnel's splice: no half-closure, so the client's FIN closes the inbound. */
  @Test
  void shouldDeliverEveryByteWrittenJustBeforeACloseWhenHalfClosureIsNotAllowed() {
    Tunnel tunnel = tunnel(false);
    tunnel.backend().pause();
    Buffer upload = randomBytes(FEW_MB, 6);

    tunnel.client().write(upload);
    tunnel.client().close();
    awaitPaused(tunnel.inbound());
    tunnel.backend().resume();

    await(tunnel.splice().closed());
    await(tunnel.backend().fin());
    assertSame(tunnel.backend().awaitReceived(upload.length()), upload);
  }

  @Test
  void shouldCloseTheOutboundWhenTheInboundCloses() {
    Tunnel tunnel = tunnel();

    tunnel.inbound().close();

    await(tunnel.splice().closed());
    assertThat(Sockets.isOpen(tunnel.outbound())).isFalse();
    await(tunnel.backend().fin());
  }

  @Test
  void shouldCloseTheInboundWhenTheOutboundCloses() {
    Tunnel tunnel = tunnel();

    tunnel.outbound().close();

    await(tunnel.splice().closed());
    assertThat(Sockets.isOpen(tunnel.inbound())).isFalse();
    await(tunnel.client().fin());
  }

  @Test
  void shouldResetTheBackendWhenTheClientResetsTheConnection() {
    Tunnel tunnel = tunnel();
    tunnel.client().write(Buffer.buffer("hello"));
    tunnel.backend().awaitReceived(5);

    tunnel.client().reset();

    await(tunnel.splice().closed());
    assertThat(Sockets.isOpen(tunnel.inbound())).isFalse();
    assertThat(Sockets.isOpen(tunnel.outbound())).isFalse();
    await(tunnel.backend().wasReset());
    assertThat(tunnel.backend().fin().isComplete()).as("a FIN before the reset").isFalse();
  }

  @Test
  void shouldEndTheBackendWithAFinNotAResetWhenTheClientClosesCleanly() {
    Tunnel tunnel = tunnel();
    tunnel.client().write(Buffer.buffer("hello"));
    tunnel.backend().awaitReceived(5);

    tunnel.client().close();

    await(tunnel.backend().fin());
    tunnel.backend().close();
    await(tunnel.splice().closed());
    await(tunnel.backend().closed());
    assertThat(tunnel.backend().endedWithReset()).isFalse();
  }

  @Test
  void shouldResetTheClientWhenTheBackendResetsTheConnectionMidTransfer() {
    Tunnel tunnel = tunnel();
    tunnel.backend().pause();
    tunnel.client().write(randomBytes(FEW_MB, 7));
    awaitPaused(tunnel.inbound());

    tunnel.backend().reset();

    await(tunnel.splice().closed());
    assertThat(Sockets.isOpen(tunnel.inbound())).isFalse();
    assertThat(Sockets.isOpen(tunnel.outbound())).isFalse();
    await(tunnel.client().wasReset());
    assertThat(tunnel.client().fin().isComplete()).as("a FIN before the reset").isFalse();
  }
}
