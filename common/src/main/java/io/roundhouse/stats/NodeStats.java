package io.roundhouse.stats;

import io.vertx.core.json.JsonObject;

/**
 * What a node reports about itself.
 *
 * @param id the node id
 * @param service the service it runs
 * @param active connections open now
 * @param total connections accepted since start
 */
public record NodeStats(String id, String service, long active, long total) {

  /** Cluster-wide event bus address the stats are published on. */
  public static final String ADDRESS = "roundhouse.stats";

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("service", service)
        .put("active", active)
        .put("total", total);
  }

  public static NodeStats fromJson(JsonObject json) {
    return new NodeStats(
        json.getString("id"),
        json.getString("service"),
        json.getLong("active", 0L),
        json.getLong("total", 0L));
  }
}
