package io.roundhouse.net;

import static io.roundhouse.net.Loopback.await;
import static io.roundhouse.net.Loopback.crc;
import static io.roundhouse.net.Loopback.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One relay between two real loopback connections: the sender writes to the source socket, the
 * relay moves its bytes to the target socket, the receiver reads them.
 */
class RelayTest {

  /** Small enough that a few MB overwhelm every buffer on the way, big enough to be quick. */
  private static final int SMALL = 16 * 1024;

  private static final int FEW_MB = 4 * 1024 * 1024;

  private final Loopback loopback = Loopback.start();

  @AfterEach
  void close() {
    loopback.close();
  }

  private record Line(
      Peer sender, NetSocket source, Relay relay, NetSocket target, Peer receiver) {}

  /**
   * A relay that holds its source from the accept on, not yet attached to its target. The target
   * side's kernel buffers are small and fixed, and so is the target's write queue: a receiver that
   * stops reading fills them all with little data.
   */
  private Line line() {
    AtomicReference<Relay> relay = new AtomicReference<>();
    LoopbackPair in =
        loopback.pair(
            new NetServerOptions(),
            new NetClientOptions(),
            socket -> {
              Sockets.allowHalfClosure(socket);
              relay.set(Relay.hold(socket));
            });
    AtomicReference<Peer> receiver = new AtomicReference<>();
    LoopbackPair out =
        loopback.pair(
            new NetServerOptions().setReceiveBufferSize(SMALL),
            new NetClientOptions().setSendBufferSize(SMALL),
            socket -> receiver.set(Peer.of(socket)));
    return loopback.on(
        () -> {
          out.client().setWriteQueueMaxSize(SMALL);
          return new Line(
              Peer.of(in.client()), in.server(), relay.get(), out.client(), receiver.get());
        });
  }

  private void attach(Line line) {
    loopback.run(() -> line.relay().to(line.target()));
  }

  /**
   * Vert.x stops reading a paused socket's channel once a few reads are queued in it: the sign,
   * seen from outside, that the relay paused its source and holds the sender back through TCP.
   */
  private static boolean stoppedReading(NetSocket socket) {
    return !Sockets.channel(socket).config().isAutoRead();
  }

  private void awaitSourcePaused(Line line) {
    Loopback.until(
        "the relay paused its source",
        () -> stoppedReading(line.source()),
        () ->
            "target write queue full: "
                + line.target().writeQueueFull()
                + ", received: "
                + line.receiver().receivedLength());
  }

  @Test
  void shouldPauseTheSourceWhenTheTargetsWriteQueueIsFull() {
    Line line = line();
    line.receiver().pause();
    attach(line);

    line.sender().write(randomBytes(FEW_MB, 1));

    // Both at once, on the event loop: a drain in between would resume the source for a moment.
    Loopback.until(
        "the relay paused its source while the target's write queue was full",
        () -> loopback.on(() -> stoppedReading(line.source()) && line.target().writeQueueFull()),
        () -> "received: " + line.receiver().receivedLength());
    assertThat(line.relay().ended().isComplete()).isFalse();
  }

  @Test
  void shouldResumeTheSourceAndDeliverEveryByteInOrderWhenTheTargetDrains() {
    Line line = line();
    line.receiver().pause();
    attach(line);
    Buffer sent = randomBytes(FEW_MB, 2);
    line.sender().write(sent);
    awaitSourcePaused(line);

    line.receiver().resume();

    Buffer received = line.receiver().awaitReceived(sent.length());
    assertThat(received.length()).isEqualTo(sent.length());
    assertThat(crc(received)).isEqualTo(crc(sent));
  }

  @Test
  void shouldDeliverBytesAndFinThatArrivedBeforeTheTargetWasAttached() {
    Line line = line();
    await(line.sender().write(Buffer.buffer("sent before the backend was chosen")));
    await(line.sender().shutdownOutput());
    Loopback.until(
        "the source read the sender's FIN",
        () -> ((DuplexChannel) Sockets.channel(line.source())).isInputShutdown());
    assertThat(line.relay().ended().isComplete()).isFalse();

    attach(line);

    await(line.relay().ended());
    assertThat(line.receiver().awaitReceived(34).toString())
        .isEqualTo("sent before the backend was chosen");
  }

  @Test
  void shouldEndOnlyOnceEveryByteBeforeTheFinIsWrittenWhenTheTargetIsSlow() {
    Line line = line();
    line.receiver().pause();
    attach(line);
    Buffer sent = randomBytes(FEW_MB, 3);
    line.sender().write(sent);
    line.sender().shutdownOutput();
    awaitSourcePaused(line);
    assertThat(line.relay().ended().isComplete()).isFalse();

    line.receiver().resume();

    await(line.relay().ended());
    Buffer received = line.receiver().awaitReceived(sent.length());
    assertThat(crc(received)).isEqualTo(crc(sent));
  }

  @Test
  void shouldRelayThroughThePlainStreamApiWhenTheSocketsAreNotRawTcp() {
    AtomicReference<Relay> relay = new AtomicReference<>();
    LoopbackPair in =
        loopback.pair(
            new NetServerOptions(),
            new NetClientOptions(),
            socket -> relay.set(Relay.hold(PlainStream.of(socket))));
    AtomicReference<Peer> receiver = new AtomicReference<>();
    LoopbackPair out =
        loopback.pair(
            new NetServerOptions(),
            new NetClientOptions(),
            socket -> receiver.set(Peer.of(socket)));
    Peer sender = loopback.on(() -> Peer.of(in.client()));
    loopback.run(() -> relay.get().to(PlainStream.of(out.client())));
    Buffer sent = randomBytes(FEW_MB, 4);

    sender.write(sent);
    sender.close();

    await(relay.get().ended());
    Buffer received = receiver.get().awaitReceived(sent.length());
    assertThat(crc(received)).isEqualTo(crc(sent));
  }
}
