package io.roundhouse.net;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins two sockets into one byte-exact, two-way tunnel with backpressure in both directions.
 *
 * <p>A FIN from one side is passed on as a FIN to the other once every byte before it has been
 * written (when half-closure is allowed on the sockets); when both directions have ended, or either
 * socket closes, the other is closed after the bytes owed to it are flushed. A side whose peer
 * reset the connection has the other side reset too, after those bytes, so that neither peer takes
 * a stream cut short for a complete one.
 */
public final class Splice {

  private static final Logger LOG = LoggerFactory.getLogger(Splice.class);

  private final NetSocket inbound;
  private final NetSocket outbound;
  private final Relay inboundToOutbound;
  private final Relay outboundToInbound;
  private final Promise<Void> closed = Promise.promise();
  private boolean inboundClosed;
  private boolean outboundClosed;
  private boolean inboundReset;
  private boolean outboundReset;

  private Splice(NetSocket inbound, Relay inboundReader, NetSocket outbound, Relay outboundReader) {
    this.inbound = inbound;
    this.outbound = outbound;
    this.inboundToOutbound = inboundReader;
    this.outboundToInbound = outboundReader;
  }

  /**
   * Splices two sockets whose reads are already held ({@link Relay#hold}) from the moment each was
   * obtained, so that nothing either peer sent early is lost. The splice owns the sockets' close
   * handlers from here on.
   */
  public static Splice start(
      NetSocket inbound, Relay inboundReader, NetSocket outbound, Relay outboundReader) {
    Splice splice = new Splice(inbound, inboundReader, outbound, outboundReader);
    splice.wire();
    return splice;
  }

  private void wire() {
    inbound.closeHandler(v -> onInboundClosed());
    outbound.closeHandler(v -> onOutboundClosed());
    inbound.exceptionHandler(
        e -> {
          inboundReset |= Sockets.isReset(e);
          LOG.debug("Inbound socket error: {}", e.toString());
        });
    outbound.exceptionHandler(
        e -> {
          outboundReset |= Sockets.isReset(e);
          LOG.debug("Outbound socket error: {}", e.toString());
        });
    // With half-closure allowed a reset ends a socket's input rather than closing it; the error
    // comes first, so by the time the relay has ended the flag says which it was.
    inboundToOutbound.ended().onSuccess(v -> passOnEnd(inbound, inboundReset, outbound));
    outboundToInbound.ended().onSuccess(v -> passOnEnd(outbound, outboundReset, inbound));
    Future.all(inboundToOutbound.ended(), outboundToInbound.ended())
        .onSuccess(
            v -> {
              inbound.close();
              outbound.close();
            });
    inboundToOutbound.to(outbound);
    outboundToInbound.to(inbound);
  }

  /** Completes when both sockets are closed. */
  public Future<Void> closed() {
    return closed.future();
  }

  /*
   * A closed socket's relay ends once it has also written what it still held while paused by a
   * slow target; waiting only for the writes made so far would close the other socket before those
   * bytes reach it. A socket whose write failed was closed without an error event: the writes owed
   * to it settle (fail) after its relay ended, and say whether its stream was cut short.
   */

  private void onInboundClosed() {
    inboundClosed = true;
    inboundToOutbound
        .ended()
        .onComplete(ar -> passOnClose(inboundReset, outboundToInbound, outbound));
    checkClosed();
  }

  private void onOutboundClosed() {
    outboundClosed = true;
    outboundToInbound
        .ended()
        .onComplete(ar -> passOnClose(outboundReset, inboundToOutbound, inbound));
    checkClosed();
  }

  /** A FIN is passed on as a FIN, a reset as a reset; a socket that closed is left to its close. */
  private static void passOnEnd(NetSocket source, boolean reset, NetSocket target) {
    if (reset) {
      Sockets.reset(target);
      source.close();
    } else if (Sockets.isOpen(source)) {
      Sockets.shutdownOutput(target);
    }
  }

  private static void passOnClose(boolean reset, Relay toClosed, NetSocket target) {
    toClosed
        .flushed()
        .onComplete(
            written -> {
              if (reset || written.failed()) {
                Sockets.reset(target);
              } else {
                target.close();
              }
            });
  }

  private void checkClosed() {
    if (inboundClosed && outboundClosed) {
      closed.tryComplete();
    }
  }
}
