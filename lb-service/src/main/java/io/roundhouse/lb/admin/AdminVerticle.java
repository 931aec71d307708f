package io.roundhouse.lb.admin;

import io.roundhouse.lb.FrontendCounters;
import io.roundhouse.lb.LbConfig;
import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.metrics.NodeMetrics;
import io.roundhouse.runtime.Listener;
import io.roundhouse.runtime.OpsRoutes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import java.util.function.BooleanSupplier;

/**
 * The admin port: {@code /api/nodes}, {@code /api/frontends}, liveness and readiness, and {@code
 * /metrics}.
 */
public final class AdminVerticle extends VerticleBase implements Listener {

  private final LbConfig config;
  private final int port;
  private final BackendDirectory directory;
  private final FrontendCounters counters;
  private final BooleanSupplier ready;
  private final NodeMetrics metrics;
  private HttpServer server;

  public AdminVerticle(
      LbConfig config,
      int port,
      BackendDirectory directory,
      FrontendCounters counters,
      BooleanSupplier ready,
      NodeMetrics metrics) {
    this.config = config;
    this.port = port;
    this.directory = directory;
    this.counters = counters;
    this.ready = ready;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/api/nodes").handler(ctx -> ctx.json(NodesView.render(config.nodeId(), directory)));
    router.get("/api/frontends").handler(ctx -> ctx.json(frontends()));
    OpsRoutes.mount(router, vertx, () -> ready.getAsBoolean() ? Status.OK() : Status.KO(), metrics);
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost(config.adminHost()).setPort(port))
            .requestHandler(router);
    return server.listen();
  }

  private JsonObject frontends() {
    return new JsonObject()
        .put("balancer", config.nodeId())
        .put("tcp", counts(counters.tcp()))
        .put("http", counts(counters.http()))
        .put("webSocket", counts(counters.webSocket()));
  }

  private static JsonObject counts(io.roundhouse.stats.ConnectionCounter counter) {
    return new JsonObject().put("active", counter.active()).put("total", counter.total());
  }

  @Override
  public int actualPort() {
    return server.actualPort();
  }
}
