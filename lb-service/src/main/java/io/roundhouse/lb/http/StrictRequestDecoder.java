package io.roundhouse.lb.http;

import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

/**
 * Vert.x's request decoder, except that a request carrying both {@code Content-Length} and {@code
 * Transfer-Encoding: chunked} keeps both headers. Netty's default drops the length and reads the
 * body as chunked, so the bytes a length-reading peer would take as body became a second request
 * here; {@link RequestFraming} now sees both and refuses the request (RFC 9112 section 6.3).
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    // Both headers stay, for RequestGuard to refuse the request and close the connection.
  }
}
