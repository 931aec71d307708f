package io.roundhouse.echo;

import io.roundhouse.net.Relay;
import io.roundhouse.net.Sockets;
import io.roundhouse.net.Timeouts;
import io.roundhouse.runtime.BackendRuntime;
import io.roundhouse.runtime.Listener;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Echoes every byte back. Reading pauses while the client is not reading our writes, so memory
 * stays bounded. A client that half-closes gets every byte back before we close.
 */
public final class EchoVerticle extends VerticleBase implements Listener {

  private static final Logger LOG = LoggerFactory.getLogger(EchoVerticle.class);

  private final EchoConfig config;
  private final int port;
  private final ConnectionCounter counter;
  private NetServer server;

  public EchoVerticle(EchoConfig config, int port, ConnectionCounter counter) {
    this.config = config;
    this.port = port;
    this.counter = counter;
  }

  @Override
  public Future<?> start() {
    NetServerOptions options =
        new NetServerOptions()
            .setHost(config.host())
            .setPort(port)
            .setTcpNoDelay(true)
            .setIdleTimeout(Timeouts.millis(config.idleTimeout()))
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    server = vertx.createNetServer(options).connectHandler(this::serve);
    return server
        .listen()
        .onSuccess(s -> LOG.debug("Echo listener bound {}:{}", config.host(), s.actualPort()));
  }

  private void serve(NetSocket socket) {
    // Counted per event loop too: the loop that accepted it keeps it until it closes.
    ConnectionCounter.Loop loop = counter.opened();
    socket.closeHandler(v -> counter.closed(loop));
    socket.exceptionHandler(e -> LOG.debug("Echo connection error: {}", e.toString()));
    Sockets.allowHalfClosure(socket);
    Relay.start(socket, socket).ended().onComplete(ar -> socket.close());
  }

  /**
   * Stops accepting; open connections get what the drain left of the shutdown grace to finish, then
   * are closed.
   */
  @Override
  public Future<?> stop() {
    return server.shutdown(
        BackendRuntime.listenerGrace(config.shutdownGrace()).toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public int actualPort() {
    return server.actualPort();
  }
}
