package io.roundhouse.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins two TCP channels of one event loop into a two-way tunnel on Netty's own handlers, with no
 * Vert.x socket in between (as netty's {@code HexDumpProxyFrontendHandler} does): a proxied
 * connection then costs two channels and two small handlers. Same promises as {@link Splice}:
 *
 * <ul>
 *   <li>backpressure: each side reads only on demand ({@code AUTO_READ} off), and asks for more
 *       only while the other side is writable, or once it becomes writable again;
 *   <li>a FIN is passed on as a FIN after every byte before it ({@code ALLOW_HALF_CLOSURE}), and
 *       when both directions have ended both channels close;
 *   <li>a close is passed on as a close, after the bytes owed to the other side are flushed; a
 *       reset, or a close that left bytes owed to the closed side unwritten, as a reset;
 *   <li>an idle event on either side (an {@code IdleStateHandler} before the leg) closes it.
 * </ul>
 *
 * <p>{@link #hold} installs a side's handler when the channel is obtained, so that its close or
 * reset before the other side is known is seen; nothing is read until {@link #start}.
 */
public final class ChannelSplice {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelSplice.class);

  private final Promise<Void> closed = Promise.promise();
  private int finsPassed;

  private ChannelSplice() {}

  /**
   * Takes over a channel from its initializer, before it is active: {@code AUTO_READ} goes off, so
   * its reads wait for {@link #start}, and half-closure is allowed. The returned leg says meanwhile
   * whether the channel closed.
   */
  public static SpliceLeg hold(Channel channel) {
    SpliceLeg leg = new SpliceLeg(channel);
    channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    channel.config().setAutoRead(false);
    channel.pipeline().addLast(SpliceLeg.NAME, leg);
    return leg;
  }

  /**
   * Takes over a channel another handler drove until now (an HTTP connection after its upgrade):
   * the handler named {@code handler} is replaced by a leg, held as by {@link #hold}. The replaced
   * handler, and whatever it referenced, is then garbage: the channel costs no more than one that
   * was spliced from the start. Call on the channel's event loop, between two reads.
   */
  public static SpliceLeg takeOver(Channel channel, String handler) {
    SpliceLeg leg = new SpliceLeg(channel);
    channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    channel.config().setAutoRead(false);
    channel.pipeline().replace(handler, SpliceLeg.NAME, leg);
    return leg;
  }

  /** The leg {@link #hold} installed on a channel. */
  public static SpliceLeg leg(Channel channel) {
    return (SpliceLeg) channel.pipeline().get(SpliceLeg.NAME);
  }

  /** Splices two held legs of the same event loop; call on that event loop. */
  public static ChannelSplice start(SpliceLeg inbound, SpliceLeg outbound) {
    ChannelSplice splice = new ChannelSplice();
    inbound.join(splice, outbound, "inbound");
    outbound.join(splice, inbound, "outbound");
    ChannelFutureListener bothClosed =
        f -> {
          if (!inbound.channel().isOpen() && !outbound.channel().isOpen()) {
            splice.closed.tryComplete();
          }
        };
    inbound.channel().closeFuture().addListener(bothClosed);
    outbound.channel().closeFuture().addListener(bothClosed);
    inbound.resume();
    outbound.resume();
    return splice;
  }

  /** Completes when both channels are closed. */
  public Future<Void> closed() {
    return closed.future();
  }

  /** Closes with an RST ({@code SO_LINGER} 0) rather than a FIN. */
  static void reset(Channel channel) {
    if (channel.isOpen()) {
      Sockets.lingerZero(channel);
      channel.close();
    }
  }

  void finPassed(SpliceLeg a, SpliceLeg b) {
    if (++finsPassed == 2) {
      a.channel().close();
      b.channel().close();
    }
  }
}
