package io.roundhouse.load.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One virtual user's TCP connection and its echo in flight, if any. Every method runs on the
 * channel's event loop, which is also the user's: no locking.
 */
final class TcpConnection {

  /** Told once how an echo ended: {@code error} is null when every byte came back unchanged. */
  interface EchoListener {
    void done(String error);
  }

  private Channel channel;
  private byte[] expected;
  private int matched;
  private EchoListener listener;
  private ScheduledFuture<?> timeout;
  private String closedReason;

  /** The handler that feeds this connection; install it before connecting. */
  ChannelInboundHandlerAdapter handler() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
          onBytes(buf);
        } finally {
          buf.release();
        }
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        if (closedReason == null) {
          closedReason = "connection closed by the peer";
        }
        finish(closedReason);
        ctx.fireChannelInactive();
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closedReason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        finish(closedReason);
        ctx.close();
      }
    };
  }

  /** Called once connected; the connect promise may complete before channelActive fires. */
  void attach(Channel connected) {
    channel = connected;
  }

  boolean isOpen() {
    return channel != null && channel.isActive();
  }

  /** Writes {@code payload} and listens until as many bytes came back, or {@code within}. */
  void echo(byte[] payload, Duration within, EchoListener onDone) {
    if (listener != null) {
      onDone.done("an echo is already in flight");
      return;
    }
    if (!isOpen()) {
      onDone.done(closedReason != null ? closedReason : "not connected");
      return;
    }
    expected = payload;
    matched = 0;
    listener = onDone;
    timeout =
        channel
            .eventLoop()
            .schedule(
                () ->
                    finish(
                        "no full echo within "
                            + within.toMillis()
                            + " ms ("
                            + matched
                            + " of "
                            + expected.length
                            + " bytes back)"),
                within.toNanos(),
                TimeUnit.NANOSECONDS);
    channel
        .writeAndFlush(channel.alloc().buffer(payload.length).writeBytes(payload))
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                finish("write failed: " + f.cause());
              }
            });
  }

  /** Closes the channel; {@code then} runs once it is closed (at once when never connected). */
  void close(Runnable then) {
    if (closedReason == null) {
      closedReason = "closed by the simulation";
    }
    if (channel == null) {
      then.run();
      return;
    }
    channel.close().addListener(f -> then.run());
  }

  private void onBytes(ByteBuf buf) {
    int readable = buf.readableBytes();
    if (listener == null) {
      closedReason = readable + " unexpected bytes with no echo in flight";
      channel.close();
      return;
    }
    int idx = buf.readerIndex();
    for (int i = 0; i < readable; i++) {
      if (matched == expected.length) {
        finish((readable - i) + " bytes more than were sent");
        channel.close();
        return;
      }
      byte got = buf.getByte(idx + i);
      if (got != expected[matched]) {
        finish(
            String.format(
                "byte %d of %d differs: sent 0x%02x, got 0x%02x",
                matched, expected.length, expected[matched], got));
        channel.close();
        return;
      }
      matched++;
    }
    if (matched == expected.length) {
      finish(null);
    }
  }

  private void finish(String error) {
    EchoListener l = listener;
    if (l == null) {
      return;
    }
    listener = null;
    expected = null;
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
    l.done(error);
  }
}
