package io.roundhouse.stats;

import io.vertx.core.json.JsonObject;

/**
 * What a node reports about itself.
 *
 * @param id the node id
 * @param service the service it runs
 * @param active connections open now
 * @param total connections accepted since start
 * @param udp its UDP socket's counts, or null for a node without one (and from older nodes)
 */
public record NodeStats(String id, String service, long active, long total, DatagramStats udp) {

  /** Cluster-wide event bus address the stats are published on. */
  public static final String ADDRESS = "roundhouse.stats";

  /** A node without a UDP socket. */
  public NodeStats(String id, String service, long active, long total) {
    this(id, service, active, total, null);
  }

  /** The JSON published; {@code udp} only when the node has a UDP socket. */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id)
            .put("service", service)
            .put("active", active)
            .put("total", total);
    if (udp != null) {
      json.put("udp", udp.toJson());
    }
    return json;
  }

  public static NodeStats fromJson(JsonObject json) {
    JsonObject udp = json.getJsonObject("udp");
    return new NodeStats(
        json.getString("id"),
        json.getString("service"),
        json.getLong("active", 0L),
        json.getLong("total", 0L),
        udp == null ? null : DatagramStats.fromJson(udp));
  }
}
