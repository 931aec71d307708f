package io.roundhouse.lb.admin;

import io.roundhouse.config.ConfigException;
import io.roundhouse.lb.settings.LiveSettings;
import io.roundhouse.lb.settings.Tunables;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code GET /api/settings}: the settings in force, which of them may change, and the stored
 * overrides. {@code PATCH /api/settings} with a JSON object of settings (a null drops an override)
 * changes them on every balancer, for new connections only; a bad key or value is a 400 that names
 * it, and changes nothing. Changes pass {@link AdminWrites}.
 */
public final class SettingsApi implements AdminApi {

  /** A patch is a handful of settings. */
  private static final long MAX_BODY = 16 * 1024;

  private final LiveSettings settings;
  private final AdminWrites writes;

  public SettingsApi(LiveSettings settings, AdminWrites writes) {
    this.settings = settings;
    this.writes = writes;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/settings").handler(this::show);
    router
        .patch("/api/settings")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
        .handler(writes)
        .handler(this::change);
  }

  private void show(RoutingContext ctx) {
    settings
        .overrides()
        .onSuccess(
            stored ->
                ctx.json(
                    new JsonObject()
                        .put("settings", settings.current().toJson())
                        .put("changeable", new JsonArray(Tunables.KEYS))
                        .put("overrides", new JsonObject(new HashMap<>(stored)))))
        .onFailure(ctx::fail);
  }

  private void change(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      answer(ctx, 400, "the body must be a JSON object of settings");
      return;
    }
    if (body == null || body.isEmpty()) {
      answer(ctx, 400, "the body must be a JSON object of settings");
      return;
    }
    Map<String, String> patch = new HashMap<>();
    body.forEach(e -> patch.put(e.getKey(), e.getValue() == null ? null : e.getValue().toString()));
    settings
        .change(patch)
        .onSuccess(next -> ctx.json(new JsonObject().put("settings", next.toJson())))
        .onFailure(
            e -> {
              if (e instanceof ConfigException) {
                answer(ctx, 400, e.getMessage());
              } else {
                ctx.fail(e);
              }
            });
  }

  private static void answer(RoutingContext ctx, int status, String error) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", error).encode());
  }
}
