package io.roundhouse.echo;

import io.roundhouse.runtime.ListenFailure;
import io.roundhouse.runtime.Listener;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Echoes every datagram back to its sender, unchanged, from one socket serving every peer. A
 * datagram larger than {@link UdpEchoConfig#maxDatagram()} is dropped and counted, and so is an
 * empty one, which Netty cannot send back. Deploy one instance: one UDP socket, one event loop.
 */
public final class UdpEchoVerticle extends VerticleBase implements Listener {

  private static final Logger LOG = LoggerFactory.getLogger(UdpEchoVerticle.class);

  /**
   * Bytes read per datagram. Netty reads datagrams into buffers of a fixed size (2048 bytes unless
   * told) and cuts what does not fit, so this is above the largest {@code maxDatagram}: a datagram
   * over the limit is seen longer than the limit, never cut down to it. Vert.x sets the socket's
   * receive buffer to the same size.
   */
  static final int READ_BUFFER = 65_536;

  private final String host;
  private final int port;
  private final UdpEchoConfig config;
  private final UdpCounters counters;
  private DatagramSocket socket;
  private UdpPeers peers;
  private long sweepTimer = -1;

  /**
   * @param host the address to bind
   * @param port the port to bind, 0 for any
   */
  public UdpEchoVerticle(String host, int port, UdpEchoConfig config, UdpCounters counters) {
    this.host = host;
    this.port = port;
    this.config = config;
    this.counters = counters;
  }

  @Override
  public Future<?> start() {
    peers = new UdpPeers(config.maxPeers(), config.peerIdle().toNanos(), counters);
    socket =
        vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(READ_BUFFER));
    socket.handler(this::echo);
    socket.exceptionHandler(e -> LOG.debug("UDP echo socket error: {}", e.toString()));
    return socket
        .listen(port, host)
        .recover(e -> Future.failedFuture(ListenFailure.of(host, port, e)))
        .onSuccess(
            s -> {
              long sweep = Math.max(10, Math.min(5_000, config.peerIdle().toMillis() / 2));
              sweepTimer = vertx.setPeriodic(sweep, id -> peers.expire(System.nanoTime()));
              LOG.debug("UDP echo bound {}:{}", host, actualPort());
            });
  }

  private void echo(DatagramPacket packet) {
    Buffer data = packet.data();
    int length = data.length();
    if (length > config.maxDatagram()) {
      counters.oversized();
      return;
    }
    if (length == 0) {
      counters.empty(); // Netty writes no empty datagram: its echo would be counted, never sent
      return;
    }
    SocketAddress sender = packet.sender();
    counters.received(length);
    peers.seen(new UdpPeers.Peer(sender.host(), sender.port()), System.nanoTime());
    socket
        .send(data, sender.port(), sender.host())
        .onComplete(
            v -> counters.sent(length),
            e -> {
              counters.sendFailed();
              LOG.debug("UDP echo to {} failed: {}", sender, e.toString());
            });
  }

  /** Closes the socket; datagrams on their way are lost, as UDP allows. */
  @Override
  public Future<?> stop() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    peers.clear();
    return socket.close();
  }

  @Override
  public int actualPort() {
    return socket.localAddress().port();
  }
}
