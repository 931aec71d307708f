package io.roundhouse.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One side of a {@link ChannelSplice}: reads from its channel and writes to its peer's, with the
 * splice's backpressure, FIN and close rules.
 */
public final class SpliceLeg extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(SpliceLeg.class);

  /** The leg's name in its pipeline: handlers that must see bytes first go before it. */
  public static final String NAME = "roundhouse-splice";

  private static final VarHandle BYTES_READ;
  private static final VarHandle LAST_READ;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      BYTES_READ = lookup.findVarHandle(SpliceLeg.class, "bytesRead", long.class);
      LAST_READ = lookup.findVarHandle(SpliceLeg.class, "lastReadNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Channel channel;
  private final ChannelFutureListener onWritten = this::onWritten;
  private ChannelSplice splice;
  private SpliceLeg peer;
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

  SpliceLeg(Channel channel) {
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

  /** Bytes read from this leg's channel so far (and so written, or being written, to the peer). */
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

  void join(ChannelSplice splice, SpliceLeg peer, String side) {
    this.splice = splice;
    this.peer = peer;
    this.side = side;
  }

  /** Writes on what arrived while held, then passes on its end or close, or reads on. */
  void resume() {
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
