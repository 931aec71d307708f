package io.roundhouse.lb.admin;

import io.roundhouse.registry.ServiceInstance;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every live backend at one sampling instant, and the totals per service. Immutable.
 *
 * @param balancer this balancer's node id
 * @param timestamp epoch milliseconds of the sample
 * @param intervalMs time between samples
 * @param nodes the live backends, ordered by service then id
 */
record StatsSnapshot(String balancer, long timestamp, long intervalMs, List<NodeSample> nodes) {

  StatsSnapshot {
    nodes = List.copyOf(nodes);
  }

  /**
   * The JSON of {@code GET /api/stats} and of each {@code stats} event.
   *
   * @param history a node's history by id, or null to leave histories out (the stream does)
   */
  JsonObject toJson(Function<String, JsonArray> history) {
    JsonArray nodesJson = new JsonArray();
    for (NodeSample node : nodes) {
      JsonObject json = node.toJson();
      if (history != null) {
        json.put("history", history.apply(node.id()));
      }
      nodesJson.add(json);
    }
    return new JsonObject()
        .put("balancer", balancer)
        .put("timestamp", timestamp)
        .put("intervalMs", intervalMs)
        .put("services", services())
        .put("nodes", nodesJson);
  }

  /** Both known services always, with zeros when a service has no node; then any other. */
  private JsonObject services() {
    Map<String, Totals> totals = new LinkedHashMap<>();
    totals.put(ServiceInstance.ECHO, new Totals());
    totals.put(ServiceInstance.WS, new Totals());
    for (NodeSample node : nodes) {
      totals.computeIfAbsent(node.service(), s -> new Totals()).add(node);
    }
    JsonObject json = new JsonObject();
    totals.forEach((service, t) -> json.put(service, t.toJson()));
    return json;
  }

  private static final class Totals {
    int nodes;
    long active;
    long reportedActive;
    double perSecond;

    void add(NodeSample node) {
      nodes++;
      active += node.activeConnections();
      reportedActive += node.reportedActive() == null ? 0 : node.reportedActive();
      perSecond += node.connectionsPerSecond();
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("nodes", nodes)
          .put("activeConnections", active)
          .put("reportedActiveConnections", reportedActive)
          .put("connectionsPerSecond", StatsSampler.round(perSecond));
    }
  }
}
