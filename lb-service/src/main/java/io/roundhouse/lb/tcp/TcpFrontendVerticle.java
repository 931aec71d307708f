package io.roundhouse.lb.tcp;

import io.roundhouse.lb.FrontendCounters;
import io.roundhouse.lb.LbConfig;
import io.roundhouse.lb.backend.BackendConnector;
import io.roundhouse.lb.limit.Limits;
import io.roundhouse.lb.limit.Rejection;
import io.roundhouse.net.Timeouts;
import io.roundhouse.runtime.Listener;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;

/** The L4 frontend: accepts TCP connections and splices each to an echo-service backend. */
public final class TcpFrontendVerticle extends VerticleBase implements Listener {

  private final LbConfig config;
  private final int port;
  private final BackendConnector connector;
  private final FrontendCounters counters;
  private final Limits limits;
  private NetServer server;

  public TcpFrontendVerticle(
      LbConfig config,
      int port,
      BackendConnector connector,
      FrontendCounters counters,
      Limits limits) {
    this.config = config;
    this.port = port;
    this.connector = connector;
    this.counters = counters;
    this.limits = limits;
  }

  @Override
  public Future<?> start() {
    int idleMillis = Timeouts.millis(config.tcpIdleTimeout());
    NetClient outboundClient =
        vertx.createNetClient(
            new NetClientOptions()
                .setConnectTimeout(Timeouts.millis(config.connectTimeout()))
                .setTcpNoDelay(true)
                .setIdleTimeout(idleMillis)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
    server =
        vertx
            .createNetServer(
                new NetServerOptions()
                    .setHost(config.host())
                    .setPort(port)
                    .setTcpNoDelay(true)
                    .setAcceptBacklog(4096)
                    .setIdleTimeout(idleMillis)
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
            .connectHandler(inbound -> accept(inbound, outboundClient));
    return server.listen();
  }

  /** Admits a client under the frontend's and its address's limits, or closes it at once. */
  private void accept(NetSocket inbound, NetClient outboundClient) {
    if (!limits.tcp().tryAcquire()) {
      refuse(inbound, Rejection.FRONTEND_FULL);
      return;
    }
    String client = inbound.remoteAddress().hostAddress();
    Rejection rejection = limits.clients().admitConnection(client);
    if (rejection != null) {
      limits.tcp().release();
      refuse(inbound, rejection);
      return;
    }
    Runnable release =
        () -> {
          limits.tcp().release();
          limits.clients().closed(client);
        };
    new TcpConnection(inbound, connector, outboundClient, counters.tcp(), limits, release).start();
  }

  private void refuse(NetSocket inbound, Rejection rejection) {
    limits.rejected("tcp", rejection);
    inbound.close();
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
