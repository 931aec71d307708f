package io.roundhouse.lb.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.roundhouse.net.Relay;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The backend side of a WebSocket upgrade, over a plain TCP connection: writes the upgrade request,
 * reads the answer's head with Netty's HTTP codec, and for a 101 takes the codec out again so that
 * the connection is a raw socket for the splice. The wait for the answer is bounded; a refusal's
 * body is read whole, up to {@link #MAX_REFUSAL_BODY}.
 *
 * <p>Fails with a {@link TimeoutException} when no answer came in time (504), and with an {@link
 * UpgradeException} when the backend closed, sent something that is not HTTP, or a refusal too
 * large to relay (502). The socket is closed on every failure.
 */
final class BackendHandshake {

  static final int MAX_REFUSAL_BODY = 64 * 1024;
  private static final String CODEC = "roundhouse-upgrade-codec";
  private static final String HANDLER = "handler";

  private final Vertx vertx;
  private final NetSocketInternal outbound;
  private final Promise<UpgradeAnswer> answer = Promise.promise();
  private HttpResponse head;
  private Buffer body;
  private long timer;

  private BackendHandshake(Vertx vertx, NetSocketInternal outbound) {
    this.vertx = vertx;
    this.outbound = outbound;
  }

  /** Sends {@code request} on {@code outbound} and completes with the backend's answer. */
  static Future<UpgradeAnswer> perform(
      Vertx vertx, NetSocketInternal outbound, FullHttpRequest request, Duration timeout) {
    return new BackendHandshake(vertx, outbound).run(request, timeout);
  }

  private Future<UpgradeAnswer> run(FullHttpRequest request, Duration timeout) {
    ChannelPipeline pipeline = outbound.channelHandlerContext().pipeline();
    pipeline.addBefore(HANDLER, CODEC, new HttpClientCodec(4096, 8192, 8192));
    outbound.messageHandler(this::onMessage);
    outbound.closeHandler(v -> fail(new UpgradeException("the backend closed before answering")));
    outbound.exceptionHandler(e -> fail(new UpgradeException("backend error: " + e, e)));
    timer =
        vertx.setTimer(
            Math.max(1, timeout.toMillis()),
            id ->
                fail(
                    new TimeoutException(
                        "no answer to the upgrade within " + timeout.toMillis() + " ms")));
    outbound.writeMessage(request);
    return answer.future();
  }

  private void onMessage(Object message) {
    try {
      if (answer.future().isComplete()) {
        return;
      }
      if (message instanceof HttpResponse response) {
        onHead(response);
      }
      if (message instanceof HttpContent content && head != null) {
        onContent(content);
      }
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  private void onHead(HttpResponse response) {
    if (response.decoderResult().isFailure()) {
      fail(
          new UpgradeException(
              "the backend's answer is not HTTP", response.decoderResult().cause()));
      return;
    }
    if (response.status().code() == 101) {
      // Held before the codec goes: the bytes it still holds (the first frames) are queued in
      // order.
      Relay reader = Relay.hold(outbound);
      outbound.channelHandlerContext().pipeline().remove(CODEC);
      succeed(new UpgradeAnswer(101, response.headers(), Buffer.buffer(), reader));
      return;
    }
    head = response;
    body = Buffer.buffer();
  }

  private void onContent(HttpContent content) {
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
      succeed(new UpgradeAnswer(head.status().code(), head.headers(), body, null));
      outbound.close();
    }
  }

  private void succeed(UpgradeAnswer result) {
    vertx.cancelTimer(timer);
    outbound.closeHandler(null);
    outbound.exceptionHandler(null);
    answer.tryComplete(result);
  }

  private void fail(Throwable error) {
    vertx.cancelTimer(timer);
    if (answer.tryFail(error)) {
      outbound.close();
    }
  }
}
