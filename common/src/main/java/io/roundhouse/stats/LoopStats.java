package io.roundhouse.stats;

import io.vertx.core.json.JsonObject;

/**
 * One event loop's share of a node's connections.
 *
 * @param thread the loop's thread name, e.g. {@code vert.x-eventloop-thread-1}
 * @param active connections open now that the loop accepted
 * @param total connections the loop accepted since start
 */
public record LoopStats(String thread, long active, long total) {

  public JsonObject toJson() {
    return new JsonObject().put("thread", thread).put("active", active).put("total", total);
  }

  public static LoopStats fromJson(JsonObject json) {
    return new LoopStats(
        json.getString("thread", ""), json.getLong("active", 0L), json.getLong("total", 0L));
  }
}
