package io.roundhouse.lb.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection whose writes stay backed up for {@code LB_CLIENT_WRITE_TIMEOUT}: the
 * channel is unwritable (Netty's outbound buffer is over its high-water mark, behind a full socket
 * buffer) because the client stopped reading what it is owed. Everything that writes to the client
 * waits on the same writability: proxied responses (Vert.x's pipe pauses the backend) and tunnels
 * ({@code Relay} pauses the other side), so one handler bounds both, and it stays in the pipeline
 * when a connection becomes a tunnel. An idle timeout cannot: a stalled relay writes nothing, but
 * the tunnel's idle timeout is long.
 */
final class WriteStallGuard extends ChannelInboundHandlerAdapter {

  static final String NAME = "roundhouse-write-stall";

  private final Duration timeout;
  private final EdgeRejections rejections;
  private ScheduledFuture<?> deadline;

  WriteStallGuard(Duration timeout, EdgeRejections rejections) {
    this.timeout = timeout;
    this.rejections = rejections;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      cancel();
    } else if (deadline == null) {
      deadline =
          ctx.executor().schedule(() -> expired(ctx), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    ctx.fireChannelWritabilityChanged();
  }

  private void expired(ChannelHandlerContext ctx) {
    deadline = null;
    if (ctx.channel().isActive() && !ctx.channel().isWritable()) {
      rejections.count(Rejection.CLIENT_WRITE_TIMEOUT);
      ctx.channel().close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  private void cancel() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
