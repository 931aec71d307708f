package io.roundhouse.lb.http;

import io.netty.channel.Channel;
import io.roundhouse.lb.FrontendCounters;
import io.roundhouse.lb.LbConfig;
import io.roundhouse.lb.backend.Backend;
import io.roundhouse.lb.backend.BackendConnector;
import io.roundhouse.lb.backend.OutboundDialer;
import io.roundhouse.lb.conn.ChannelTraffic;
import io.roundhouse.lb.conn.Kind;
import io.roundhouse.lb.conn.LiveConnection;
import io.roundhouse.lb.limit.Limits;
import io.roundhouse.net.Timeouts;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.Listener;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The L7 frontend: WebSocket upgrades are tunnelled to a ws-service backend; every other request is
 * reverse-proxied over pooled keep-alive connections.
 */
public final class HttpFrontendVerticle extends VerticleBase implements Listener {

  private final LbConfig config;
  private final int port;
  private final BackendConnector connector;
  private final FrontendCounters counters;
  private final GatewayErrors errors;
  private final Limits limits;
  private final EdgeRejections rejections;
  private final Duration shedCloseTimeout;
  private HttpServer server;

  public HttpFrontendVerticle(
      LbConfig config,
      int port,
      BackendConnector connector,
      FrontendCounters counters,
      GatewayErrors errors,
      Limits limits,
      EdgeRejections rejections) {
    this(
        config,
        port,
        connector,
        counters,
        errors,
        limits,
        rejections,
        TunnelShedder.DEFAULT_CLOSE_TIMEOUT);
  }

  /**
   * @param shedCloseTimeout how long a shed WebSocket tunnel may take to finish its close
   *     handshakes before both its channels are closed anyway
   */
  public HttpFrontendVerticle(
      LbConfig config,
      int port,
      BackendConnector connector,
      FrontendCounters counters,
      GatewayErrors errors,
      Limits limits,
      EdgeRejections rejections,
      Duration shedCloseTimeout) {
    this.config = config;
    this.port = port;
    this.connector = connector;
    this.counters = counters;
    this.errors = errors;
    this.limits = limits;
    this.rejections = rejections;
    this.shedCloseTimeout = shedCloseTimeout;
  }

  @Override
  public Future<?> start() {
    HttpClient outboundClient = outboundClient(config.httpIdleTimeout());
    HttpProxy proxy =
        HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(false), outboundClient)
            .origin(
                context ->
                    connector
                        .connect(
                            ServiceInstance.WS,
                            backend -> outboundClient.request(requestTo(backend.instance())))
                        .map(
                            lease -> {
                              context.set(ProxyInterceptors.LEASE, lease);
                              servedBy(context.request().proxiedRequest(), lease.backend());
                              return lease.value();
                            }))
            .addInterceptor(new ProxyInterceptors(errors));
    // Tunnels dial plain TCP channels of their own on this event loop, outside the request pool.
    ContextInternal ctx = (ContextInternal) context;
    OutboundDialer dialer =
        new OutboundDialer((VertxInternal) vertx, ctx.nettyEventLoop(), config.connectTimeout());
    WebSocketTunnel tunnel =
        new WebSocketTunnel(ctx, config, connector, dialer, counters, errors, shedCloseTimeout);
    Admission admission = new Admission(limits, errors);
    PublicPaths publicPaths = new PublicPaths(config.edge().publicDeny(), rejections);
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.host())
            .setPort(port)
            .setTcpNoDelay(true)
            .setAcceptBacklog(4096)
            // Several balancer processes can share the port (run-local.sh --lb N).
            .setReuseAddress(true)
            .setReusePort(true)
            .setIdleTimeout(Timeouts.millis(config.httpIdleTimeout()))
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            // HTTP/1.1 only: h2c would bypass the edge's checks and timeouts (EdgePipeline).
            .setHttp2ClearTextEnabled(false);
    server =
        vertx
            .createHttpServer(options)
            .connectionHandler(
                connection -> {
                  counters.http().opened();
                  counters.connections().accepted();
                  Runnable admitted = admission.connected(connection);
                  Channel channel =
                      ((HttpServerConnection) connection).channelHandlerContext().channel();
                  ChannelTraffic traffic = new ChannelTraffic();
                  channel.pipeline().addFirst(ChannelTraffic.NAME, traffic);
                  counters
                      .connections()
                      .open(Kind.HTTP, "http", ServiceInstance.WS, channel)
                      .countedBy(traffic);
                  // The channel's close, not the connection's: a WebSocket tunnel's channel leaves
                  // Vert.x after the upgrade, and Vert.x then reports no close.
                  channel
                      .closeFuture()
                      .addListener(
                          closed ->
                              ctx.emit(
                                  v -> {
                                    counters.http().closed();
                                    admitted.run();
                                  }));
                  EdgePipeline.install(connection, options, config.edge(), rejections);
                })
            .requestHandler(
                request -> {
                  LiveConnection live = LiveConnection.of(channelOf(request));
                  if (live != null) {
                    live.requested();
                  }
                  if (publicPaths.refuse(request)) {
                    return;
                  }
                  if (isUpgrade(request)) {
                    if (admission.admit(request, GatewayErrors.WEBSOCKET)) {
                      tunnel.handle(request);
                    }
                  } else if (admission.admit(request, GatewayErrors.HTTP)) {
                    proxy.handle(request);
                  }
                });
    return server.listen();
  }

  /** Keep-alive connections to backends, pooled per backend address. */
  private HttpClient outboundClient(Duration idleTimeout) {
    return vertx
        .httpClientBuilder()
        .with(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout(Timeouts.millis(config.connectTimeout()))
                .setIdleTimeout(Timeouts.millis(idleTimeout))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
        .with(new PoolOptions().setHttp1MaxSize(config.poolSize()))
        .build();
  }

  /**
   * A pooled request: obtaining a connection, pool wait included, is bounded by the connect timeout
   * (then 503, after the other backends were tried); the answer by the backend timeout (504).
   */
  RequestOptions requestTo(ServiceInstance backend) {
    return new RequestOptions()
        .setServer(SocketAddress.inetSocketAddress(backend.port(), backend.host()))
        .setConnectTimeout(config.connectTimeout().toMillis())
        .setIdleTimeout(config.backendTimeout().toMillis());
  }

  static Channel channelOf(HttpServerRequest request) {
    return ((HttpServerConnection) request.connection()).channelHandlerContext().channel();
  }

  /** The connection list learns which backend served the connection's latest request. */
  private static void servedBy(HttpServerRequest request, Backend backend) {
    LiveConnection live = LiveConnection.of(channelOf(request));
    if (live != null) {
      live.outbound(
          backend.id(), null, InetSocketAddress.createUnresolved(backend.host(), backend.port()));
    }
  }

  private static boolean isUpgrade(HttpServerRequest request) {
    return WebSocketUpgrades.requested(
        request.version() == HttpVersion.HTTP_1_1, request.getHeader("Upgrade"));
  }

  /** Stops accepting; open connections get the shutdown grace to finish, then are closed. */
  @Override
  public Future<?> stop() {
    return server.shutdown(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public int actualPort() {
    return server.actualPort();
  }
}
