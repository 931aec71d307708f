package io.roundhouse.lb.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.roundhouse.net.ChannelSplice;
import io.roundhouse.net.SpliceLeg;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The backend side of a WebSocket upgrade, on a plain TCP channel held for a {@link ChannelSplice}:
 * writes the upgrade request, reads the answer's head with Netty's HTTP codec placed before the
 * leg, and for a 101 takes the codec out again, so that the channel is raw for the splice and every
 * byte after the head (a welcome frame may share a read with the 101) waits in the leg, in order.
 * The wait for the answer is bounded; a refusal's body is read whole, up to {@link
 * #MAX_REFUSAL_BODY}.
 *
 * <p>Fails with a {@link TimeoutException} when no answer came in time (504), and with an {@link
 * UpgradeException} when the backend closed, sent something that is not HTTP, a 101 without {@code
 * Sec-WebSocket-Accept}, or a refusal too large to relay (502). The channel is closed on every
 * failure and after a refusal.
 */
final class BackendHandshake extends ChannelInboundHandlerAdapter {

  static final int MAX_REFUSAL_BODY = 64 * 1024;
  private static final String CODEC = "roundhouse-upgrade-codec";
  private static final String READER = "roundhouse-upgrade-reader";

  private final Channel channel;
  private final Promise<UpgradeAnswer> answer = Promise.promise();
  private ScheduledFuture<?> timer;
  private boolean done;
  private HttpResponse head;
  private Buffer body;

  private BackendHandshake(Channel channel) {
    this.channel = channel;
  }

  /** Sends {@code request} on the held {@code outbound} and completes with the backend's answer. */
  static Future<UpgradeAnswer> perform(
      SpliceLeg outbound, FullHttpRequest request, Duration timeout) {
    BackendHandshake handshake = new BackendHandshake(outbound.channel());
    Channel channel = outbound.channel();
    if (channel.eventLoop().inEventLoop()) {
      handshake.run(request, timeout);
    } else {
      channel.eventLoop().execute(() -> handshake.run(request, timeout));
    }
    return handshake.answer.future();
  }

  private void run(FullHttpRequest request, Duration timeout) {
    if (!channel.isActive()) {
      request.release();
      fail(new UpgradeException("the backend closed before answering"));
      return;
    }
    // First: whatever else watches the channel's bytes (a tunnel's frame gate) sees the raw bytes
    // that follow the 101's head, as the leg does.
    channel.pipeline().addFirst(CODEC, new HttpClientCodec(4096, 8192, 8192));
    channel.pipeline().addAfter(CODEC, READER, this);
    timer =
        channel
            .eventLoop()
            .schedule(
                () ->
                    fail(
                        new TimeoutException(
                            "no answer to the upgrade within " + timeout.toMillis() + " ms")),
                Math.max(1, timeout.toMillis()),
                TimeUnit.MILLISECONDS);
    channel.writeAndFlush(request);
    channel.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (message instanceof ByteBuf raw && head != null && head.status().code() == 101) {
      // After a 101 the codec hands on raw bytes: they are the first frames, for the leg.
      ctx.fireChannelRead(raw);
      return;
    }
    try {
      if (done) {
        return;
      }
      if (message instanceof HttpResponse response) {
        onHead(response);
      }
      if (message instanceof HttpContent content && head != null) {
        onContent(ctx, content);
      }
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!done) {
      ctx.read();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event == ChannelInputShutdownEvent.INSTANCE && !done) {
      fail(new UpgradeException("the backend closed before answering"));
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(new UpgradeException("the backend closed before answering"));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(new UpgradeException("backend error: " + cause, cause));
  }

  private void onHead(HttpResponse response) {
    if (response.decoderResult().isFailure()) {
      fail(
          new UpgradeException(
              "the backend's answer is not HTTP", response.decoderResult().cause()));
      return;
    }
    if (response.status().code() == 101
        && !response.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT)) {
      fail(new UpgradeException("the backend's 101 has no Sec-WebSocket-Accept"));
      return;
    }
    head = response;
    body = Buffer.buffer();
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) {
    if (head.status().code() == 101) {
      // The empty end of a 101: what the codec still holds goes on to the leg as it leaves.
      ctx.pipeline().remove(CODEC);
      ctx.pipeline().remove(this);
      succeed(new UpgradeAnswer(101, head.headers(), Buffer.buffer()));
      return;
    }
    ByteBuf bytes = content.content();
    if (body.length() + bytes.readableBytes() > MAX_REFUSAL_BODY) {
      fail(new UpgradeException("the backend's refusal is over " + MAX_REFUSAL_BODY + " bytes"));
      return;
    }
    if (bytes.isReadable()) {
      byte[] copy = new byte[bytes.readableBytes()];
      bytes.readBytes(copy);
      body.appendBytes(copy);
    }
    if (content instanceof LastHttpContent) {
      succeed(new UpgradeAnswer(head.status().code(), head.headers(), body));
      channel.close();
    }
  }

  /**
   * Completes on a later turn of the event loop, never inside the codec's read: whoever splices the
   * channel then finds its pipeline settled.
   */
  private void succeed(UpgradeAnswer result) {
    if (finish()) {
      channel.eventLoop().execute(() -> answer.complete(result));
    }
  }

  private void fail(Throwable error) {
    if (finish()) {
      channel.close();
      channel.eventLoop().execute(() -> answer.fail(error));
    }
  }

  private boolean finish() {
    if (done) {
      return false;
    }
    done = true;
    if (timer != null) {
      timer.cancel(false);
    }
    return true;
  }
}
