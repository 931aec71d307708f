package io.roundhouse.lb.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import io.roundhouse.lb.conn.ShedReason;
import io.roundhouse.lb.conn.Shedder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sheds a spliced WebSocket tunnel at frame boundaries, through the {@link FrameGate} on each of
 * its channels:
 *
 * <ul>
 *   <li>the client gets every whole message the backend sent up to the next message boundary of the
 *       backend-to-client stream, then an unmasked close frame with the {@link ShedReason}'s code
 *       and text; later backend bytes are dropped. Its channel closes once the client answered with
 *       its close frame (or sent a FIN, or left);
 *   <li>the backend gets the client's messages up to the next message boundary of the
 *       client-to-backend stream, then a masked close frame with 1001 (going away: from the
 *       backend's side its client is leaving, whatever the reason; the reason's text says why);
 *       later client bytes, its close frame included, are dropped. Its channel closes after the
 *       backend's close frame, FIN or close;
 *   <li>a direction that already carried a close frame of its own gets none of ours;
 *   <li>everything is bounded: {@code closeTimeout} after the shed began both channels are closed
 *       anyway, so a frozen client, or a stream that never reaches a message boundary (one endless
 *       fragmented message), cannot hold the tunnel.
 * </ul>
 *
 * The splice's close callback still releases the backend's lease and the counters, once, when both
 * channels are closed.
 */
final class TunnelShedder implements Shedder, FrameGate.Shedding {

  private static final Logger LOG = LoggerFactory.getLogger(TunnelShedder.class);

  /** How long a shed tunnel may take to finish its close handshakes before it is closed anyway. */
  static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** The tunnel as a shed sees it, one way only. */
  enum State {
    SPLICED,
    SHEDDING,
    ENDED
  }

  private final Channel client;
  private final FrameGate fromClient;
  private final Channel backend;
  private final FrameGate fromBackend;
  private final Duration closeTimeout;
  private State state = State.SPLICED;
  private ShedReason reason;
  private ScheduledFuture<?> deadline;

  /**
   * @param fromClient the gate on {@code client}, before its leg
   * @param fromBackend the gate on {@code backend}, before its leg since before the handshake, so
   *     that it saw every frame that followed the 101
   */
  TunnelShedder(
      Channel client,
      FrameGate fromClient,
      Channel backend,
      FrameGate fromBackend,
      Duration closeTimeout) {
    this.client = client;
    this.fromClient = fromClient;
    this.backend = backend;
    this.fromBackend = fromBackend;
    this.closeTimeout = closeTimeout;
    ChannelFutureListener oneClosed = closed -> onChannelClosed();
    client.closeFuture().addListener(oneClosed);
    backend.closeFuture().addListener(oneClosed);
  }

  @Override
  public Future<Boolean> shed(ShedReason shedReason, Duration idleAtLeast) {
    Promise<Boolean> started = Promise.promise();
    try {
      client.eventLoop().execute(() -> started.complete(start(shedReason)));
    } catch (RejectedExecutionException stopping) {
      // The event loop is shutting down, and every channel on it with it.
      started.complete(false);
    }
    return started.future();
  }

  State state() {
    return state;
  }

  private boolean start(ShedReason shedReason) {
    if (state == State.SHEDDING) {
      return true;
    }
    if (state == State.ENDED || !client.isActive() || !backend.isActive()) {
      return false;
    }
    state = State.SHEDDING;
    reason = shedReason;
    LOG.debug("Shedding tunnel {} ({})", client, reason);
    deadline =
        client
            .eventLoop()
            .schedule(this::expired, Math.max(1, closeTimeout.toMillis()), TimeUnit.MILLISECONDS);
    fromBackend.shed(this);
    fromClient.shed(this);
    return true;
  }

  @Override
  public void cut(FrameGate gate) {
    if (gate == fromBackend) {
      fromClient.closeOwed(
          fromBackend.carriedClose()
              ? null
              : CloseFrames.closeFrame(
                  client.alloc(), reason.closeCode(), reason.closeReason(), false));
    } else {
      fromBackend.closeOwed(
          fromClient.carriedClose()
              ? null
              : CloseFrames.closeFrame(
                  backend.alloc(), CloseFrames.GOING_AWAY, reason.closeReason(), true));
    }
  }

  @Override
  public void broken(FrameGate gate) {
    // A frame cut short was passed on: no close frame can follow it. Close, as the splice would.
    Channel peer = gate == fromBackend ? client : backend;
    peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  private void expired() {
    deadline = null;
    if (state == State.SHEDDING) {
      LOG.debug("Tunnel {} not closed within {}: closing it", client, closeTimeout);
      client.close();
      backend.close();
    }
  }

  private void onChannelClosed() {
    if (client.isOpen() || backend.isOpen()) {
      return;
    }
    state = State.ENDED;
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
