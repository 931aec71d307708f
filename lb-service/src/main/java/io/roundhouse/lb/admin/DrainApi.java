package io.roundhouse.lb.admin;

import io.roundhouse.config.Settings;
import io.roundhouse.lb.backend.Backend;
import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.registry.DrainNotice;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * {@code POST /api/nodes/<id>/drain[?period=20s]} drains a backend on every balancer: out of
 * rotation, its connections closed spread over the period ({@link DrainNotice}, published
 * cluster-wide); {@code DELETE} on the same path puts it back. Changes pass {@link AdminWrites}.
 */
public final class DrainApi implements AdminApi {

  /** The longest drain one may ask for. */
  static final Duration MAX_PERIOD = Duration.ofHours(1);

  private final BackendDirectory directory;
  private final AdminWrites writes;
  private final Duration defaultPeriod;

  public DrainApi(BackendDirectory directory, AdminWrites writes, Duration defaultPeriod) {
    this.directory = directory;
    this.writes = writes;
    this.defaultPeriod = defaultPeriod;
  }

  @Override
  public void mount(Router router) {
    router.post("/api/nodes/:id/drain").handler(writes).handler(this::drain);
    router.delete("/api/nodes/:id/drain").handler(writes).handler(this::undrain);
  }

  private void drain(RoutingContext ctx) {
    Backend backend = directory.find(ctx.pathParam("id"));
    if (backend == null) {
      answer(ctx, 404, new JsonObject().put("error", "no backend " + ctx.pathParam("id")));
      return;
    }
    String asked = ctx.request().getParam("period");
    Duration period = asked == null ? defaultPeriod : Settings.parseDuration(asked);
    if (period == null || period.isNegative() || period.compareTo(MAX_PERIOD) > 0) {
      answer(
          ctx,
          400,
          new JsonObject()
              .put("error", "period must be a duration from 0s to 1h, such as 500ms or 30s"));
      return;
    }
    long until = System.currentTimeMillis() + period.toMillis();
    publish(ctx, new DrainNotice(backend.id(), until, true));
    answer(
        ctx,
        202,
        new JsonObject()
            .put("id", backend.id())
            .put("draining", true)
            .put("until", until)
            .put("periodMs", period.toMillis()));
  }

  private void undrain(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (directory.find(id) == null) {
      answer(ctx, 404, new JsonObject().put("error", "no backend " + id));
      return;
    }
    publish(ctx, new DrainNotice(id, 0, false));
    answer(ctx, 200, new JsonObject().put("id", id).put("draining", false));
  }

  private static void publish(RoutingContext ctx, DrainNotice notice) {
    ctx.vertx().eventBus().publish(DrainNotice.ADDRESS, notice.toJson());
  }

  private static void answer(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
