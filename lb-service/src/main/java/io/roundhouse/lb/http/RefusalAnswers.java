package io.roundhouse.lb.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The balancer's own answer to a refused request, written below Vert.x, and the close after it. */
final class RefusalAnswers {

  /** How long a refused client's further bytes are read and dropped before the close. */
  static final long LINGER_MS = 2_000;

  private RefusalAnswers() {}

  /**
   * Writes the answer through the HTTP encoder after {@code ctx}, then closes as NGINX's lingering
   * close does: FIN first, while what the client still sends is read and dropped for a moment.
   * Closing with its bytes unread would reset the connection, and a reset can destroy the answer
   * before the client has read it.
   */
  static void writeAndClose(ChannelHandlerContext ctx, Rejection rejection) {
    Channel channel = ctx.channel();
    ctx.writeAndFlush(response(rejection))
        .addListener(
            written -> {
              if (!written.isSuccess() || !(channel instanceof DuplexChannel duplex)) {
                channel.close();
                return;
              }
              duplex.shutdownOutput();
              channel.eventLoop().schedule(() -> channel.close(), LINGER_MS, TimeUnit.MILLISECONDS);
            });
  }

  static FullHttpResponse response(Rejection rejection) {
    byte[] body = rejection.body().getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            new HttpResponseStatus(rejection.status(), rejection.phrase()),
            Unpooled.wrappedBuffer(body));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    if (rejection == Rejection.UPGRADE_VERSION) {
      response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, WebSocketUpgrades.VERSION);
    }
    return response;
  }
}
