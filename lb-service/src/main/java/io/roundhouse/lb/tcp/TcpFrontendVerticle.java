package io.roundhouse.lb.tcp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateHandler;
import io.roundhouse.lb.FrontendCounters;
import io.roundhouse.lb.LbConfig;
import io.roundhouse.lb.backend.BackendConnector;
import io.roundhouse.lb.backend.OutboundDialer;
import io.roundhouse.lb.conn.Kind;
import io.roundhouse.lb.conn.LiveConnection;
import io.roundhouse.lb.limit.Limits;
import io.roundhouse.lb.limit.Rejection;
import io.roundhouse.net.ChannelSplice;
import io.roundhouse.net.SpliceLeg;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.Listener;
import io.roundhouse.runtime.ScaledDeployment;
import io.roundhouse.runtime.SharedPort;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServerOptions;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The L4 frontend: accepts TCP connections and splices each to an echo-service backend. Each
 * instance binds its own listening socket on its own event loop (sharing the port with the other
 * instances through {@code SO_REUSEPORT}), and its connections live on that loop as plain Netty
 * channels, spliced by {@link ChannelSplice}: no Vert.x socket per connection.
 */
public final class TcpFrontendVerticle extends VerticleBase implements Listener {

  private final LbConfig config;
  private final SharedPort port;
  private final boolean reusePort;
  private final BackendConnector connector;
  private final FrontendCounters counters;
  private final Limits limits;
  private final Set<Channel> open = new HashSet<>();
  private EventLoop loop;
  private Channel server;
  private Promise<Void> drained;

  /**
   * @param reusePort whether the port is shared with other listeners ({@code SO_REUSEPORT})
   */
  public TcpFrontendVerticle(
      LbConfig config,
      SharedPort port,
      boolean reusePort,
      BackendConnector connector,
      FrontendCounters counters,
      Limits limits) {
    this.config = config;
    this.port = port;
    this.reusePort = reusePort;
    this.connector = connector;
    this.counters = counters;
    this.limits = limits;
  }

  /** Deploys {@code instances} listeners sharing {@code port} (0: one ephemeral port for all). */
  public static Future<ScaledDeployment.Deployed> deploy(
      Vertx vertx,
      LbConfig config,
      int port,
      int instances,
      BackendConnector connector,
      FrontendCounters counters,
      Limits limits) {
    SharedPort shared = new SharedPort(port);
    return ScaledDeployment.deploy(
        vertx,
        port,
        instances,
        ignored -> new TcpFrontendVerticle(config, shared, true, connector, counters, limits));
  }

  @Override
  public Future<?> start() {
    ContextInternal ctx = (ContextInternal) context;
    VertxInternal vx = (VertxInternal) vertx;
    loop = ctx.nettyEventLoop();
    OutboundDialer dialer = new OutboundDialer(vx, loop, config.connectTimeout());
    long idleMillis = config.tcpIdleTimeout().toMillis();
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loop, loop)
            .channelFactory(vx.transport().serverChannelFactory(false))
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel inbound) {
                    if (idleMillis > 0) {
                      inbound
                          .pipeline()
                          .addLast(new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
                    }
                    SpliceLeg leg = ChannelSplice.hold(inbound);
                    ctx.emit(v -> accept(leg, dialer));
                  }
                });
    vx.transport()
        .configure(
            new NetServerOptions()
                .setTcpNoDelay(true)
                .setAcceptBacklog(4096)
                .setReuseAddress(true)
                .setReusePort(reusePort),
            false,
            bootstrap);
    return port.bind(p -> bind(bootstrap, p));
  }

  private Future<Integer> bind(ServerBootstrap bootstrap, int p) {
    Promise<Integer> bound = Promise.promise();
    bootstrap
        .bind(config.host(), p)
        .addListener(
            (ChannelFuture f) -> {
              if (f.isSuccess()) {
                server = f.channel();
                bound.complete(((InetSocketAddress) server.localAddress()).getPort());
              } else {
                bound.fail(f.cause());
              }
            });
    return bound.future();
  }

  /** Admits a client under the frontend's and its address's limits, or closes it at once. */
  private void accept(SpliceLeg inbound, OutboundDialer dialer) {
    Channel channel = inbound.channel();
    counters.connections().accepted();
    if (!limits.tcp().tryAcquire()) {
      refuse(inbound, Rejection.FRONTEND_FULL);
      return;
    }
    String client = ((InetSocketAddress) channel.remoteAddress()).getAddress().getHostAddress();
    Rejection rejection = limits.clients().admitConnection(client);
    if (rejection != null) {
      limits.tcp().release();
      refuse(inbound, rejection);
      return;
    }
    open.add(channel);
    channel.closeFuture().addListener(f -> forget(channel));
    Runnable release =
        () -> {
          limits.tcp().release();
          limits.clients().closed(client);
        };
    LiveConnection live =
        counters.connections().open(Kind.TCP, "tcp", ServiceInstance.ECHO, channel);
    new TcpConnection(inbound, live, connector, dialer, counters.tcp(), limits, release).start();
  }

  private void forget(Channel channel) {
    open.remove(channel);
    if (drained != null && open.isEmpty()) {
      drained.tryComplete();
    }
  }

  private void refuse(SpliceLeg inbound, Rejection rejection) {
    limits.rejected("tcp", rejection);
    inbound.discard();
  }

  /** Stops accepting; open connections get the shutdown grace to finish, then are closed. */
  @Override
  public Future<?> stop() {
    Promise<Void> stopped = Promise.promise();
    loop.execute(
        () -> {
          drained = Promise.promise();
          if (server != null) {
            server.close();
          }
          if (open.isEmpty()) {
            drained.tryComplete();
          }
          ScheduledFuture<?> grace =
              loop.schedule(
                  () -> Set.copyOf(open).forEach(Channel::close),
                  Math.max(1, config.shutdownGrace().toMillis()),
                  TimeUnit.MILLISECONDS);
          drained.future().onComplete(v -> grace.cancel(false)).onComplete(stopped);
        });
    return stopped.future();
  }

  @Override
  public int actualPort() {
    return server == null ? -1 : ((InetSocketAddress) server.localAddress()).getPort();
  }
}
