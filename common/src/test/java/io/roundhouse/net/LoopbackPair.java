package io.roundhouse.net;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * Two ends of one real TCP connection over 127.0.0.1, both owned by one Vert.x context (so by one
 * event loop, as a relay's two sockets are in the balancer): {@code server} is the accepted socket,
 * {@code client} the connecting one.
 */
record LoopbackPair(NetServer listener, NetClient connector, NetSocket server, NetSocket client) {

  /**
   * Listens on port 0, connects, and completes with both ends. {@code onAccept} runs on the
   * accepted socket at once, on its event loop, before any byte of it can be read, as a service's
   * connect handler does.
   */
  static Future<LoopbackPair> open(
      Vertx vertx,
      Context context,
      NetServerOptions serverOptions,
      NetClientOptions clientOptions,
      Handler<NetSocket> onAccept) {
    Promise<LoopbackPair> opened = Promise.promise();
    context.runOnContext(
        v -> {
          Promise<NetSocket> accepted = Promise.promise();
          NetServer listener =
              vertx
                  .createNetServer(serverOptions)
                  .connectHandler(
                      socket -> {
                        onAccept.handle(socket);
                        accepted.tryComplete(socket);
                      });
          NetClient connector = vertx.createNetClient(clientOptions);
          listener
              .listen(0, "127.0.0.1")
              .compose(bound -> connector.connect(bound.actualPort(), "127.0.0.1"))
              .compose(
                  client ->
                      accepted
                          .future()
                          .map(
                              server ->
                                  oneEventLoop(
                                      new LoopbackPair(listener, connector, server, client))))
              .onComplete(opened);
        });
    return opened.future();
  }

  private static LoopbackPair oneEventLoop(LoopbackPair pair) {
    if (Sockets.channel(pair.server()).eventLoop() != Sockets.channel(pair.client()).eventLoop()) {
      throw new IllegalStateException("the two ends of a loopback pair are on two event loops");
    }
    return pair;
  }
}
