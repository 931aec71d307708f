package io.roundhouse.load.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One virtual user's UDP socket, connected to the balancer: its own ephemeral port, so its own
 * flow. One datagram in flight at a time; every method runs on the channel's event loop, which is
 * the user's. A datagram may be lost: an echo that does not come back within its timeout is a KO,
 * and a late reply to it is ignored rather than taken for the next one's.
 */
final class UdpFlow {

  /** Told once how an echo ended: {@code error} is null when the datagram came back unchanged. */
  interface EchoListener {
    void done(String error);
  }

  private Channel channel;
  private byte[] expected;
  private byte[] previous;
  private EchoListener listener;
  private ScheduledFuture<?> timeout;
  private String closedReason;

  ChannelInboundHandlerAdapter handler() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        try {
          onDatagram(packet.content());
        } finally {
          packet.release();
        }
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP port unreachable and the like: the echo in flight fails, the socket stays.
        finish(cause.getClass().getSimpleName() + ": " + cause.getMessage());
      }
    };
  }

  void attach(Channel connected) {
    channel = connected;
  }

  boolean isOpen() {
    return channel != null && channel.isActive();
  }

  /** Sends {@code payload} as one datagram and waits for the same bytes back, or {@code within}. */
  void echo(byte[] payload, Duration within, EchoListener onDone) {
    if (listener != null) {
      onDone.done("an echo is already in flight");
      return;
    }
    if (!isOpen()) {
      onDone.done(closedReason != null ? closedReason : "no socket");
      return;
    }
    expected = payload;
    listener = onDone;
    timeout =
        channel
            .eventLoop()
            .schedule(
                () -> finish("no echo within " + within.toMillis() + " ms (datagram lost?)"),
                within.toNanos(),
                TimeUnit.NANOSECONDS);
    channel
        .writeAndFlush(channel.alloc().buffer(payload.length).writeBytes(payload))
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                finish("send failed: " + f.cause());
              }
            });
  }

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

  private void onDatagram(ByteBuf content) {
    if (listener == null) {
      return; // the late reply to an echo that already timed out
    }
    byte[] got = ByteBufUtil.getBytes(content);
    if (previous != null && Arrays.equals(got, previous)) {
      return; // the previous echo's reply, late and already counted as lost
    }
    if (Arrays.equals(got, expected)) {
      finish(null);
    } else if (got.length != expected.length) {
      finish("sent " + expected.length + " bytes, got " + got.length + " back");
    } else {
      finish("the datagram came back changed");
    }
  }

  private void finish(String error) {
    EchoListener l = listener;
    if (l == null) {
      return;
    }
    listener = null;
    previous = expected;
    expected = null;
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
    l.done(error);
  }
}
