package io.roundhouse.lb.http;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerConnection;

/**
 * Puts the edge's handlers into a new client connection's Netty pipeline, before it reads a byte
 * (Vert.x calls the server's connection handler while it sets the pipeline up):
 *
 * <pre>
 *   [request-start] httpDecoder (strict) httpEncoder [request-guard] [write-stall] handler
 * </pre>
 *
 * Relies on Vert.x's handler names {@code "httpDecoder"} and {@code "handler"} (see
 * docs/ARCHITECTURE.md, Vert.x internals); a connection without them (not HTTP/1.x) is left alone.
 */
final class EdgePipeline {

  static final String DECODER = "httpDecoder";
  static final String HANDLER = "handler";

  private EdgePipeline() {}

  static void install(
      HttpConnection connection,
      HttpServerOptions options,
      EdgeConfig config,
      EdgeRejections rejections) {
    if (!(connection instanceof HttpServerConnection internal)) {
      return;
    }
    ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
    if (pipeline.get(DECODER) == null || pipeline.get(HANDLER) == null) {
      return;
    }
    pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options));
    RequestGuard guard = new RequestGuard(config, rejections);
    pipeline.addBefore(DECODER, RequestGuard.WATCHER, guard.watcher());
    pipeline.addBefore(HANDLER, RequestGuard.NAME, guard);
    if (!config.clientWriteTimeout().isZero()) {
      pipeline.addBefore(
          HANDLER,
          WriteStallGuard.NAME,
          new WriteStallGuard(config.clientWriteTimeout(), rejections));
    }
  }
}
