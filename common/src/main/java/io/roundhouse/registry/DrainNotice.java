package io.roundhouse.registry;

import io.vertx.core.json.JsonObject;

/**
 * A backend is draining, or no longer is: published on {@link #ADDRESS} by the backend at its
 * SIGTERM, or by a balancer's admin API for every balancer. Balancers take a draining backend out
 * of rotation and close its connections spread until {@code untilMillis}, so its clients do not all
 * reconnect at once.
 *
 * @param id the backend's node id
 * @param untilMillis when its connections should all be gone, epoch milliseconds
 * @param draining false to put it back in rotation (an admin's undo)
 */
public record DrainNotice(String id, long untilMillis, boolean draining) {

  /** Cluster-wide event bus address of the notices. */
  public static final String ADDRESS = "roundhouse.drain";

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("until", untilMillis).put("draining", draining);
  }

  /** The notice, or null for a message that is not one. */
  public static DrainNotice fromJson(JsonObject json) {
    String id = json == null ? null : json.getString("id");
    if (id == null) {
      return null;
    }
    return new DrainNotice(id, json.getLong("until", 0L), json.getBoolean("draining", true));
  }
}
