package io.roundhouse.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
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
  public static Leg hold(Channel channel) {
    Leg leg = new Leg(channel);
    channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    channel.config().setAutoRead(false);
    channel.pipeline().addLast(Leg.NAME, leg);
    return leg;
  }

  /**
   * Takes over a channel another handler drove until now (an HTTP connection after its upgrade):
   * the handler named {@code handler} is replaced by a leg, held as by {@link #hold}. The replaced
   * handler, and whatever it referenced, is then garbage: the channel costs no more than one that
   * was spliced from the start. Call on the channel's event loop, between two reads.
   */
  public static Leg takeOver(Channel channel, String handler) {
    Leg leg = new Leg(channel);
    channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    channel.config().setAutoRead(false);
    channel.pipeline().replace(handler, Leg.NAME, leg);
    return leg;
  }

  /** The leg {@link #hold} installed on a channel. */
  public static Leg leg(Channel channel) {
    return (Leg) channel.pipeline().get(Leg.NAME);
  }

  /** Splices two held legs of the same event loop; call on that event loop. */
  public static ChannelSplice start(Leg inbound, Leg outbound) {
    ChannelSplice splice = new ChannelSplice();
    inbound.join(splice, outbound, "inbound");
    outbound.join(splice, inbound, "outbound");
    ChannelFutureListener bothClosed =
        f -> {
          if (!inbound.channel.isOpen() && !outbound.channel.isOpen()) {
            splice.closed.tryComplete();
          }
        };
    inbound.channel.closeFuture().addListener(bothClosed);
    outbound.channel.closeFuture().addListener(bothClosed);
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

  private void finPassed(Leg a, Leg b) {
    if (++finsPassed == 2) {
      a.channel.close();
      b.channel.close();
    }
  }

  /** One side's handler: reads from its channel and writes to its peer's. */
  public static final class Leg extends ChannelInboundHandlerAdapter {

    /** The leg's name in its pipeline: handlers that must see bytes first go before it. */
    public static final String NAME = "roundhouse-splice";

    private static final VarHandle BYTES_READ;
    private static final VarHandle LAST_READ;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        BYTES_READ = lookup.findVarHandle(Leg.class, "bytesRead", long.class);
        LAST_READ = lookup.findVarHandle(Leg.class, "lastReadNanos", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final Channel channel;
    private final ChannelFutureListener onWritten = this::onWritten;
    private ChannelSplice splice;
    private Leg peer;
    private String side = "held";
    private ArrayDeque<Object> held;
    private boolean endHeld;
    private boolean readWanted;
    private boolean reset;
    private boolean writeFailed;

    // Written by the event loop, read by whoever lists connections: opaque access (atomic, no
    // fence), so counting costs a plain store on the hot path.
    private long bytesRead;

    @SuppressWarnings("unused")
    private long lastReadNanos;

    private Leg(Channel channel) {
      this.channel = channel;
    }

    public Channel channel() {
      return channel;
    }

    /** Closes a leg that will not be spliced, and frees what it held. */
    public void discard() {
      channel.close();
      if (held != null) {
        held.forEach(ReferenceCountUtil::release);
        held = null;
      }
    }

    /**
     * Bytes read from this leg's channel so far (and so written, or being written, to the peer).
     */
    public long bytesRead() {
      return (long) BYTES_READ.getOpaque(this);
    }

    /** {@link System#nanoTime()} of the last read from this leg's channel; 0 before the first. */
    public long lastReadNanos() {
      return (long) LAST_READ.getOpaque(this);
    }

    private void counted(Object msg) {
      if (msg instanceof ByteBuf buf) {
        BYTES_READ.setOpaque(this, bytesRead + buf.readableBytes());
      }
    }

    /** Whether the channel is still connected (its peer may have half-closed). */
    public boolean isActive() {
      return channel.isActive();
    }

    private void join(ChannelSplice splice, Leg peer, String side) {
      this.splice = splice;
      this.peer = peer;
      this.side = side;
    }

    /** Writes on what arrived while held, then passes on its end or close, or reads on. */
    private void resume() {
      if (held != null) {
        held.forEach(msg -> peer.channel.write(msg).addListener(onWritten));
        held = null;
        peer.channel.flush();
      }
      if (!channel.isActive()) {
        passOnClose();
      } else if (endHeld) {
        passOnEnd();
      } else if (peer.channel.isWritable()) {
        channel.read();
      } else {
        readWanted = true;
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      counted(msg);
      if (peer == null) {
        // Netty reads what precedes a FIN even with AUTO_READ off (EPOLLRDHUP): keep it, in order.
        if (held == null) {
          held = new ArrayDeque<>(2);
        }
        held.add(msg);
        return;
      }
      peer.channel.write(msg).addListener(onWritten);
    }

    private void onWritten(ChannelFuture write) {
      if (!write.isSuccess()) {
        peer.writeFailed = true;
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      LAST_READ.setOpaque(this, System.nanoTime());
      if (peer == null) {
        return;
      }
      peer.channel.flush();
      if (peer.channel.isWritable()) {
        channel.read();
      } else {
        readWanted = true;
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (peer != null && channel.isWritable() && peer.readWanted) {
        peer.readWanted = false;
        peer.channel.read();
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event == ChannelInputShutdownEvent.INSTANCE) {
        if (peer == null) {
          endHeld = true;
        } else {
          passOnEnd();
        }
      } else if (event instanceof IdleStateEvent) {
        LOG.debug("Closing idle {} channel {}", side, channel);
        channel.close();
      } else if (event != ChannelInputShutdownReadComplete.INSTANCE) {
        ctx.fireUserEventTriggered(event);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      reset |= Sockets.isReset(cause);
      LOG.debug("{} channel error: {}", side, cause.toString());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (peer != null) {
        passOnClose();
      }
      ctx.fireChannelInactive();
    }

    /** Our peer sent FIN (or reset): every byte before it has been read and written on. */
    private void passOnEnd() {
      if (reset) {
        ChannelSplice.reset(peer.channel);
        channel.close();
        return;
      }
      ChannelFuture flushed = peer.channel.writeAndFlush(Unpooled.EMPTY_BUFFER);
      flushed.addListener(
          f -> {
            if (f.isSuccess() && peer.channel instanceof DuplexChannel duplex) {
              duplex.shutdownOutput().addListener(s -> splice.finPassed(this, peer));
            } else {
              peer.channel.close();
            }
          });
    }

    /** Our channel closed: close the peer once what it is owed is flushed, or reset it. */
    private void passOnClose() {
      peer.channel
          .writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener(
              f -> {
                if (reset || writeFailed || !f.isSuccess()) {
                  ChannelSplice.reset(peer.channel);
                } else {
                  peer.channel.close();
                }
              });
    }
  }
}
