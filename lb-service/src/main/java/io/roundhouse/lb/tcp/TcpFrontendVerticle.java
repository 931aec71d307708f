package io.roundhouse.lb.tcp;

import io.roundhouse.lb.FrontendCounters;
import io.roundhouse.lb.LbConfig;
import io.roundhouse.lb.backend.BackendConnector;
import io.roundhouse.net.Timeouts;
import io.roundhouse.runtime.Listener;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.concurrent.TimeUnit;

/** The L4 frontend: accepts TCP connections and splices each to an echo-service backend. */
public final class TcpFrontendVerticle extends VerticleBase implements Listener {

  private final LbConfig config;
  private final int port;
  private final BackendConnector connector;
  private final FrontendCounters counters;
  private NetServer server;

  public TcpFrontendVerticle(
      LbConfig config, int port, BackendConnector connector, FrontendCounters counters) {
    this.config = config;
    this.port = port;
    this.connector = connector;
    this.counters = counters;
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
            .connectHandler(
                inbound ->
                    new TcpConnection(inbound, connector, outboundClient, counters.tcp()).start());
    return server.listen();
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
