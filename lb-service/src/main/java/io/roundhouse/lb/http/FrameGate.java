package io.roundhouse.lb.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.roundhouse.net.SpliceLeg;

/**
 * One channel of a WebSocket tunnel, just before its splice leg: follows the frame boundaries of
 * what the channel reads ({@link FrameBoundaries}, headers only, payloads never copied) and, once a
 * shed begins, ends that stream at its next message boundary. Bytes up to the boundary go on to the
 * leg (the buffer is split with a retained slice when the boundary falls inside it); later ones are
 * dropped, and the channel is read on only to see its remote's close frame, FIN or close.
 *
 * <p>While shedding, the leg no longer sees the channel's FIN or close: the channel is closed by
 * the gate once a close frame was written to it ({@link #closeOwed}) and its remote is done, so a
 * client's close handshake is not cut short by the backend's leaving (or the tunnel's bound, {@link
 * TunnelShedder}, closes it).
 */
final class FrameGate extends ChannelInboundHandlerAdapter {

  static final String NAME = "roundhouse-frames";

  /** What the channel reads, one way only. */
  enum State {
    /** Passed on as it comes; only frame heads are read. */
    PASSING,
    /** A shed began: passed on up to the next message boundary. */
    CUTTING,
    /** Cut: dropped, read only to see the remote's close frame, FIN or close. */
    DROPPING,
    /** The channel closed while shedding. */
    CLOSED
  }

  /** What the shed's coordinator hears from a gate; called on the channel's event loop. */
  interface Shedding {
    /** What {@code gate}'s channel sent has ended at a boundary, every byte before it passed on. */
    void cut(FrameGate gate);

    /** What {@code gate}'s channel sent ended inside a frame: its peer cannot be closed cleanly. */
    void broken(FrameGate gate);
  }

  private final FrameBoundaries frames = new FrameBoundaries();
  private State state = State.PASSING;
  private Shedding shedding;
  private Channel channel;
  private boolean closeWritten;
  private boolean remoteDone;

  /** Puts a gate before the splice leg of {@code channel}; call before it reads a frame. */
  static FrameGate watch(Channel channel) {
    FrameGate gate = new FrameGate();
    channel.pipeline().addBefore(SpliceLeg.NAME, NAME, gate);
    return gate;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  State state() {
    return state;
  }

  /** Whether what this channel sent carried a close frame of its own: its peer has been told. */
  boolean carriedClose() {
    return frames.closeSeen();
  }

  /** Starts cutting what the channel sends; at once if it sits at a message boundary. */
  void shed(Shedding coordinator) {
    if (state != State.PASSING) {
      return;
    }
    shedding = coordinator;
    state = State.CUTTING;
    if (frames.atMessageBoundary()) {
      cut();
    }
  }

  /**
   * The other direction ended: {@code frame}, the close frame this channel is owed (null when the
   * other side's own went through already), is written and flushed, and the channel closes once its
   * remote is done too.
   */
  void closeOwed(ByteBuf frame) {
    closeWritten = true;
    if (!channel.isActive()) {
      ReferenceCountUtil.release(frame);
      return;
    }
    if (frame != null) {
      channel
          .writeAndFlush(frame)
          .addListener(ChannelFutureListener.CLOSE_ON_FAILURE)
          .addListener(written -> closeIfDone());
    } else {
      closeIfDone();
    }
  }

  private void closeIfDone() {
    if (closeWritten && remoteDone && channel.isOpen()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    switch (state) {
      case PASSING -> {
        frames.feed(buf);
        ctx.fireChannelRead(buf);
      }
      case CUTTING -> cutting(ctx, buf);
      case DROPPING -> dropping(buf);
      case CLOSED -> buf.release();
    }
  }

  private void cutting(ChannelHandlerContext ctx, ByteBuf buf) {
    int through = frames.toMessageBoundary(buf);
    if (through < 0) {
      ctx.fireChannelRead(buf);
      return;
    }
    if (through == buf.readableBytes()) {
      ctx.fireChannelRead(buf);
      cut();
      return;
    }
    if (through > 0) {
      ctx.fireChannelRead(buf.retainedSlice(buf.readerIndex(), through));
    }
    buf.skipBytes(through);
    cut();
    dropping(buf);
  }

  private void dropping(ByteBuf buf) {
    try {
      if (!remoteDone) {
        frames.feed(buf);
        if (frames.closeSeen()) {
          remoteDone = true;
          closeIfDone();
        }
      }
    } finally {
      buf.release();
    }
  }

  private void cut() {
    state = State.DROPPING;
    remoteDone |= frames.closeSeen();
    shedding.cut(this);
    closeIfDone();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (state == State.DROPPING) {
      // The leg reads only while its peer is writable, and the peer may be gone: read on here.
      ctx.read();
    } else if (state != State.CLOSED) {
      ctx.fireChannelReadComplete();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == ChannelInputShutdownEvent.INSTANCE && state != State.PASSING) {
      remoteEnded();
      closeIfDone();
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (state == State.PASSING) {
      ctx.fireChannelInactive();
      return;
    }
    remoteEnded();
    state = State.CLOSED;
  }

  /** The remote sent a FIN or left: what it sent ends here, at a boundary or not. */
  private void remoteEnded() {
    remoteDone = true;
    if (state != State.CUTTING) {
      return;
    }
    if (frames.atFrameBoundary()) {
      // Inside a fragmented message: a close frame may come between fragments.
      cut();
    } else {
      state = State.DROPPING;
      shedding.broken(this);
    }
  }
}
