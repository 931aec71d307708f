package io.roundhouse.lb.backend;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.NetUtil;
import io.roundhouse.net.ChannelSplice;
import io.roundhouse.net.SpliceLeg;
import io.roundhouse.registry.ServiceInstance;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Dials backends on the client's own event loop with the Vert.x transport's channels (native epoll
 * where available), so that a splice's two channels share one thread. Names that are not address
 * literals are resolved with Vert.x's resolver, never on the event loop.
 */
public final class OutboundDialer {

  private final VertxInternal vertx;
  private final EventLoop loop;
  private final Bootstrap bootstrap;

  /** Dials on {@code loop}, the event loop of the clients it dials for. */
  public OutboundDialer(VertxInternal vertx, EventLoop loop, Duration connectTimeout) {
    this.vertx = vertx;
    this.loop = loop;
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channelFactory(vertx.transport().channelFactory(false))
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    ChannelSplice.hold(channel);
                  }
                });
  }

  public Future<SpliceLeg> dial(ServiceInstance backend) {
    return resolve(vertx, backend).compose(this::connect);
  }

  /**
   * The backend's socket address: at once for an address literal, else from Vert.x's resolver,
   * never on the event loop.
   */
  public static Future<InetSocketAddress> resolve(VertxInternal vertx, ServiceInstance backend) {
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(backend.host());
    Future<InetAddress> address;
    try {
      address =
          literal != null
              ? Future.succeededFuture(InetAddress.getByAddress(backend.host(), literal))
              : vertx.nameResolver().resolve(backend.host());
    } catch (UnknownHostException impossible) {
      return Future.failedFuture(impossible);
    }
    return address.map(a -> new InetSocketAddress(a, backend.port()));
  }

  private Future<SpliceLeg> connect(InetSocketAddress target) {
    Promise<SpliceLeg> promise = Promise.promise();
    bootstrap
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

  /** Runs {@code task} on the dialling event loop: at once when already there. */
  public void onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }
}
