package io.roundhouse.lb.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.NetUtil;
import io.roundhouse.net.ChannelSplice;
import io.roundhouse.registry.ServiceInstance;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Dials backends on the client's own event loop with the Vert.x transport's channels (native epoll
 * where available), so that a splice's two channels share one thread. Names that are not address
 * literals are resolved with Vert.x's resolver, never on the event loop.
 */
final class OutboundDialer {

  private final VertxInternal vertx;
  private final int connectTimeoutMillis;

  OutboundDialer(VertxInternal vertx, Duration connectTimeout) {
    this.vertx = vertx;
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
  }

  Future<ChannelSplice.Leg> dial(EventLoop loop, ServiceInstance backend) {
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(backend.host());
    Future<InetAddress> address;
    try {
      address =
          literal != null
              ? Future.succeededFuture(InetAddress.getByAddress(backend.host(), literal))
              : vertx.nameResolver().resolve(backend.host());
    } catch (java.net.UnknownHostException impossible) {
      return Future.failedFuture(impossible);
    }
    return address.compose(a -> connect(loop, new InetSocketAddress(a, backend.port())));
  }

  private Future<ChannelSplice.Leg> connect(EventLoop loop, InetSocketAddress target) {
    Promise<ChannelSplice.Leg> promise = Promise.promise();
    new Bootstrap()
        .group(loop)
        .channelFactory(vertx.transport().channelFactory(false))
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.AUTO_READ, false)
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel channel) {
                ChannelSplice.hold(channel);
              }
            })
        .connect(target)
        .addListener(
            (ChannelFuture f) -> {
              if (f.isSuccess()) {
                promise.complete(ChannelSplice.leg(f.channel()));
              } else {
                promise.fail(f.cause());
              }
            });
    return promise.future();
  }
}
