package io.roundhouse.runtime;

import io.roundhouse.metrics.NodeMetrics;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.function.Supplier;

/**
 * The operations routes every service serves the same way: {@code /health/live}, {@code
 * /health/ready} (200 or 503 with a JSON reason) and {@code /metrics} (Prometheus text).
 */
public final class OpsRoutes {

  private OpsRoutes() {}

  public static Router mount(
      Router router, Vertx vertx, Supplier<Status> ready, NodeMetrics metrics) {
    router.get("/health/live").handler(check(vertx, "process", Status::OK));
    router.get("/health/ready").handler(check(vertx, "serving", ready));
    router.get("/metrics").handler(metrics.scrapeHandler());
    return router;
  }

  private static HealthCheckHandler check(Vertx vertx, String name, Supplier<Status> status) {
    return HealthCheckHandler.create(vertx).register(name, p -> p.complete(status.get()));
  }
}
