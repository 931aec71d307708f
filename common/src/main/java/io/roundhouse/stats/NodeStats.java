package io.roundhouse.stats;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a node reports about itself.
 *
 * @param id the node id
 * @param service the service it runs
 * @param active connections open now
 * @param total connections accepted since start
 * @param udp its UDP socket's counts, or null for a node without one (and from older nodes)
 * @param loops its connections per event loop, by thread name; empty from older nodes
 * @param fds its process's file descriptors, or null where unknown (and from older nodes)
 */
public record NodeStats(
    String id,
    String service,
    long active,
    long total,
    DatagramStats udp,
    List<LoopStats> loops,
    FdStats fds) {

  /** Cluster-wide event bus address the stats are published on. */
  public static final String ADDRESS = "roundhouse.stats";

  public NodeStats {
    loops = loops == null ? List.of() : List.copyOf(loops);
  }

  /** A node without a UDP socket, reporting no loops and no fds. */
  public NodeStats(String id, String service, long active, long total) {
    this(id, service, active, total, null);
  }

  /** A node reporting no loops and no fds. */
  public NodeStats(String id, String service, long active, long total, DatagramStats udp) {
    this(id, service, active, total, udp, List.of(), null);
  }

  /** The JSON published; {@code udp}, {@code loops} and {@code fds} only when known. */
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
    if (!loops.isEmpty()) {
      json.put("loops", loopsJson());
    }
    if (fds != null) {
      json.put("fds", fds.toJson());
    }
    return json;
  }

  /** {@code [{thread, active, total}, ...]}, by thread name: also what the admin API shows. */
  public JsonArray loopsJson() {
    JsonArray array = new JsonArray();
    loops.forEach(l -> array.add(l.toJson()));
    return array;
  }

  public static NodeStats fromJson(JsonObject json) {
    JsonObject udp = json.getJsonObject("udp");
    JsonArray loops = json.getJsonArray("loops");
    JsonObject fds = json.getJsonObject("fds");
    return new NodeStats(
        json.getString("id"),
        json.getString("service"),
        json.getLong("active", 0L),
        json.getLong("total", 0L),
        udp == null ? null : DatagramStats.fromJson(udp),
        loops == null
            ? List.of()
            : loops.stream().map(l -> LoopStats.fromJson((JsonObject) l)).toList(),
        fds == null ? null : FdStats.fromJson(fds));
  }
}
