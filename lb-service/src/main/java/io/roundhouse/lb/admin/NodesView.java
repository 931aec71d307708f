package io.roundhouse.lb.admin;

import io.roundhouse.lb.backend.Backend;
import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.stats.NodeStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The JSON of {@code GET /api/nodes}: every live backend as this balancer sees it. */
final class NodesView {

  private NodesView() {}

  static JsonObject render(String balancerId, BackendDirectory directory) {
    JsonArray nodes = new JsonArray();
    for (Backend backend : directory.all()) {
      NodeStats reported = backend.reported();
      nodes.add(
          new JsonObject()
              .put("id", backend.id())
              .put("service", backend.service())
              .put("host", backend.instance().host())
              .put("port", backend.instance().port())
              .put("healthy", backend.healthy())
              .put("activeConnections", backend.activeConnections())
              .put("totalConnections", backend.totalConnections())
              .put("failedConnects", backend.failedConnects())
              .put("reportedActiveConnections", reported == null ? null : reported.active())
              .put("reportedTotalConnections", reported == null ? null : reported.total()));
    }
    return new JsonObject().put("balancer", balancerId).put("nodes", nodes);
  }
}
