package io.roundhouse.lb.admin;

import io.roundhouse.lb.FrontendCounters;
import io.roundhouse.lb.LbConfig;
import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.lb.conn.ConnectionQuery;
import io.roundhouse.lb.conn.ConnectionsView;
import io.roundhouse.lb.conn.SocketsView;
import io.roundhouse.lb.limit.Limits;
import io.roundhouse.metrics.NodeMetrics;
import io.roundhouse.runtime.Listener;
import io.roundhouse.runtime.OpsRoutes;
import io.roundhouse.runtime.Readiness;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The admin port: {@code /api/nodes}, {@code /api/frontends}, the connection list {@code
 * /api/connections} and {@code /api/sockets}, liveness and readiness, {@code /metrics} and the
 * dashboard: the page at {@code /}, its feed at {@code /api/stats} and {@code /api/stats/stream}.
 * Deployed as one instance; it owns the stats sampler and samples on its own event loop.
 */
public final class AdminVerticle extends VerticleBase implements Listener {

  private final LbConfig config;
  private final int port;
  private final BackendDirectory directory;
  private final FrontendCounters counters;
  private final Limits limits;
  private final Readiness readiness;
  private final NodeMetrics metrics;
  private final SocketsView sockets;
  private final List<AdminApi> apis;
  private HttpServer server;
  private StatsSampler sampler;
  private StatsStream stream;
  private long samplingTimer = -1;

  public AdminVerticle(
      LbConfig config,
      int port,
      BackendDirectory directory,
      FrontendCounters counters,
      Limits limits,
      Readiness readiness,
      NodeMetrics metrics,
      SocketsView sockets,
      List<AdminApi> apis) {
    this.config = config;
    this.port = port;
    this.directory = directory;
    this.counters = counters;
    this.limits = limits;
    this.readiness = readiness;
    this.metrics = metrics;
    this.sockets = sockets;
    this.apis = List.copyOf(apis);
  }

  @Override
  public Future<?> start() {
    sampler = new StatsSampler(config.nodeId(), directory);
    stream = new StatsStream(vertx, "roundhouse.lb.dashboard." + deploymentID());
    Router router = Router.router(vertx);
    router.get("/api/nodes").handler(ctx -> ctx.json(NodesView.render(config.nodeId(), directory)));
    router
        .get("/api/stats")
        .handler(ctx -> ctx.json(withStreams(sampler.latest().toJson(sampler::history))));
    router.get("/api/stats/stream").handler(stream);
    router.get("/api/frontends").handler(ctx -> ctx.json(frontends()));
    router.get("/api/connections").handler(this::connections);
    router
        .get("/api/sockets")
        .handler(
            ctx ->
                vertx
                    .executeBlocking(() -> sockets.render(directory.all()), false)
                    .onSuccess(ctx::json)
                    .onFailure(ctx::fail));
    apis.forEach(api -> api.mount(router));
    OpsRoutes.mount(router, vertx, readiness::status, metrics);
    DashboardAssets.mount(router);
    sample();
    samplingTimer = vertx.setPeriodic(StatsSampler.INTERVAL_MS, id -> sample());
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost(config.adminHost()).setPort(port))
            .requestHandler(router);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(samplingTimer);
    return Future.succeededFuture();
  }

  /** A page of the live connection list; a bad parameter is a 400 that names it. */
  private void connections(RoutingContext ctx) {
    ConnectionQuery query;
    try {
      query = ConnectionQuery.parse(ctx.request()::getParam);
    } catch (IllegalArgumentException e) {
      ctx.response()
          .setStatusCode(400)
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", e.getMessage()).encode());
      return;
    }
    ctx.json(ConnectionsView.render(config.nodeId(), counters.connections(), query));
  }

  private void sample() {
    StatsSnapshot snapshot = sampler.sample(System.currentTimeMillis(), System.nanoTime());
    stream.publish(withStreams(snapshot.toJson(null)));
  }

  /**
   * How many dashboards are watching (the open {@code /api/stats/stream} responses), and the
   * limits: queues and what they turned away.
   */
  private JsonObject withStreams(JsonObject stats) {
    return stats.put("streams", stream.open()).put("limits", LimitsView.render(limits));
  }

  private JsonObject frontends() {
    return new JsonObject()
        .put("balancer", config.nodeId())
        .put("tcp", counts(counters.tcp()))
        .put("http", counts(counters.http()))
        .put("webSocket", counts(counters.webSocket()))
        .put("udp", counts(counters.udp()))
        .put("limits", LimitsView.render(limits));
  }

  private static JsonObject counts(io.roundhouse.stats.ConnectionCounter counter) {
    return new JsonObject().put("active", counter.active()).put("total", counter.total());
  }

  @Override
  public int actualPort() {
    return server.actualPort();
  }
}
