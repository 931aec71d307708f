package io.roundhouse.ws;

import io.roundhouse.metrics.NodeMetrics;
import io.roundhouse.net.Timeouts;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.BackendRuntime;
import io.roundhouse.runtime.Listener;
import io.roundhouse.runtime.OpsRoutes;
import io.roundhouse.runtime.Readiness;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP listener: WebSocket echo on {@code /ws}, cluster-wide rooms on {@code /ws/room/{name}},
 * {@code /info}, {@code /health/live}, {@code /health/ready} and {@code /metrics}. Unknown paths
 * get 404.
 */
public final class WsHttpVerticle extends VerticleBase implements Listener {

  private static final Logger LOG = LoggerFactory.getLogger(WsHttpVerticle.class);

  private final WsConfig config;
  private final int port;
  private final String nodeId;
  private final ConnectionCounter counter;
  private final Readiness readiness;
  private final NodeMetrics metrics;
  private HttpServer server;
  private Rooms rooms;

  WsHttpVerticle(
      WsConfig config,
      int port,
      String nodeId,
      ConnectionCounter counter,
      Readiness readiness,
      NodeMetrics metrics) {
    this.config = config;
    this.port = port;
    this.nodeId = nodeId;
    this.counter = counter;
    this.readiness = readiness;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    rooms = new Rooms(vertx.eventBus());
    WsSessions sessions = new WsSessions(nodeId, config.maxMessageSize(), counter, rooms);
    Router router = Router.router(vertx);
    router.get("/ws").handler(sessions::echo);
    router.get("/ws/room/:name").handler(sessions::room);
    router.get("/info").handler(this::info);
    OpsRoutes.mount(router, vertx, readiness::status, metrics);
    server = vertx.createHttpServer(options()).requestHandler(router);
    return server
        .listen()
        .onSuccess(s -> LOG.debug("WebSocket listener bound {}:{}", config.host(), s.actualPort()));
  }

  private HttpServerOptions options() {
    return new HttpServerOptions()
        .setHost(config.host())
        .setPort(port)
        .setTcpNoDelay(true)
        .setIdleTimeout(Timeouts.millis(config.idleTimeout()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxWebSocketFrameSize(config.maxFrameSize())
        .setMaxWebSocketMessageSize(config.maxMessageSize())
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false);
  }

  private void info(RoutingContext ctx) {
    ctx.json(
        new JsonObject()
            .put("node", nodeId)
            .put("service", ServiceInstance.WS)
            .put("port", actualPort())
            .put("activeConnections", counter.active())
            .put("totalConnections", counter.total()));
  }

  /** The rooms with members on this listener; for tests. */
  Future<Set<String>> openRooms() {
    Promise<Set<String>> promise = Promise.promise();
    context.runOnContext(v -> promise.complete(rooms.names()));
    return promise.future();
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
