package io.roundhouse.lb.tcp;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.roundhouse.net.SpliceLeg;

/**
 * One channel of a shed TCP splice, put before its leg: the leg reads and relays no more, every
 * byte owed to the channel is flushed, then a FIN follows; what the remote still sends is read and
 * dropped until its own FIN (or close), and then the channel closes. Reading to the end is what
 * makes the close clean: closing with unread bytes in the kernel's buffer would send a reset, which
 * can destroy bytes owed to the remote still in flight. The leg sees neither the FIN nor the close:
 * the shed, not the splice, closes both sides.
 */
final class ShedClose extends ChannelInboundHandlerAdapter {

  static final String NAME = "roundhouse-shed";

  private final Channel channel;
  private boolean finWritten;
  private boolean remoteDone;

  private ShedClose(Channel channel) {
    this.channel = channel;
  }

  /** Takes {@code channel} from its leg and ends it cleanly; call on its event loop. */
  static void install(Channel channel) {
    ShedClose closing = new ShedClose(channel);
    channel.pipeline().addBefore(SpliceLeg.NAME, NAME, closing);
    closing.start();
  }

  private void start() {
    channel
        .writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(
            flushed -> {
              if (!flushed.isSuccess() || !(channel instanceof DuplexChannel duplex)) {
                channel.close();
              } else if (duplex.isOutputShutdown()) {
                finWritten();
              } else {
                duplex.shutdownOutput().addListener(fin -> finWritten());
              }
            });
    channel.read();
  }

  private void finWritten() {
    finWritten = true;
    closeIfDone();
  }

  private void closeIfDone() {
    if (finWritten && remoteDone) {
      channel.close();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.read();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == ChannelInputShutdownEvent.INSTANCE) {
      remoteDone = true;
      closeIfDone();
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    remoteDone = true;
  }
}
