package io.roundhouse.lb.tcp;

import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import io.roundhouse.lb.conn.ShedReason;
import io.roundhouse.lb.conn.Shedder;
import io.roundhouse.net.SpliceLeg;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sheds a TCP splice when neither leg read anything for the asked time ({@link Duration#ZERO}: at
 * once, busy or not): both channels are taken from their legs ({@link ShedClose}), so nothing more
 * is relayed; each gets every byte already owed to it, then a FIN, and closes once its remote sent
 * its own FIN. The reason is not told: TCP has no place for it. Bounded: {@code closeTimeout} after
 * the shed began, a side that has not finished is closed anyway. The splice's close callback
 * releases the lease and the counts, once, when both channels are closed.
 */
final class TcpShedder implements Shedder {

  private static final Logger LOG = LoggerFactory.getLogger(TcpShedder.class);

  /** How long the two sides of a shed connection get to send their FIN. */
  static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** The connection as a shed sees it, one way only. */
  enum State {
    SPLICED,
    SHEDDING,
    ENDED
  }

  private final SpliceLeg inbound;
  private final SpliceLeg outbound;
  private final Duration closeTimeout;
  private final long splicedNanos = System.nanoTime();
  private State state = State.SPLICED;
  private ScheduledFuture<?> deadline;

  /** Call on the legs' event loop once they are spliced. */
  TcpShedder(SpliceLeg inbound, SpliceLeg outbound, Duration closeTimeout) {
    this.inbound = inbound;
    this.outbound = outbound;
    this.closeTimeout = closeTimeout;
    ChannelFutureListener oneClosed = closed -> onChannelClosed();
    inbound.channel().closeFuture().addListener(oneClosed);
    outbound.channel().closeFuture().addListener(oneClosed);
  }

  @Override
  public Future<Boolean> shed(ShedReason reason, Duration idleAtLeast) {
    Promise<Boolean> started = Promise.promise();
    try {
      inbound.channel().eventLoop().execute(() -> started.complete(start(reason, idleAtLeast)));
    } catch (RejectedExecutionException stopping) {
      started.complete(false);
    }
    return started.future();
  }

  private boolean start(ShedReason reason, Duration idleAtLeast) {
    if (state == State.SHEDDING) {
      return true;
    }
    if (state == State.ENDED || !inbound.isActive() || !outbound.isActive()) {
      return false;
    }
    if (System.nanoTime() - lastReadNanos() < idleAtLeast.toNanos()) {
      return false;
    }
    state = State.SHEDDING;
    LOG.debug("Shedding TCP connection {} ({})", inbound.channel(), reason);
    deadline =
        inbound
            .channel()
            .eventLoop()
            .schedule(this::expired, Math.max(1, closeTimeout.toMillis()), TimeUnit.MILLISECONDS);
    ShedClose.install(outbound.channel());
    ShedClose.install(inbound.channel());
    return true;
  }

  /** The later of the two legs' last reads, or the splice's start when neither read yet. */
  private long lastReadNanos() {
    long last = splicedNanos;
    for (long read : new long[] {inbound.lastReadNanos(), outbound.lastReadNanos()}) {
      if (read != 0 && read - last > 0) {
        last = read;
      }
    }
    return last;
  }

  private void expired() {
    deadline = null;
    if (state == State.SHEDDING) {
      LOG.debug("TCP connection {} not closed within {}: closing it", inbound, closeTimeout);
      inbound.channel().close();
      outbound.channel().close();
    }
  }

  private void onChannelClosed() {
    if (inbound.channel().isOpen() || outbound.channel().isOpen()) {
      return;
    }
    state = State.ENDED;
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
