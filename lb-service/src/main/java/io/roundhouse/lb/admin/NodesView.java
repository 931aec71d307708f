package io.roundhouse.lb.admin;

import io.roundhouse.lb.backend.Backend;
import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.lb.health.BackendHealth;
import io.roundhouse.lb.health.HealthState;
import io.roundhouse.lb.health.OutlierState;
import io.roundhouse.stats.NodeStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/** The JSON of {@code GET /api/nodes}: every live backend as this balancer sees it. */
final class NodesView {

  private NodesView() {}

  static JsonObject render(String balancerId, BackendDirectory directory) {
    JsonArray nodes = new JsonArray();
    long now = System.nanoTime();
    for (Backend backend : directory.all()) {
      NodeStats reported = backend.reported();
      BackendHealth health = backend.health();
      nodes.add(
          new JsonObject()
              .put("id", backend.id())
              .put("service", backend.service())
              .put("host", backend.instance().host())
              .put("port", backend.instance().port())
              .put("healthy", health.inRotation(now))
              .put("health", health(health))
              .put("outlier", outlier(health, now))
              .put("weight", StatsSampler.round(health.weight(now)))
              .put("draining", backend.draining())
              .put("drainingUntil", backend.draining() ? backend.drainingUntil() : null)
              .put("activeConnections", backend.activeConnections())
              .put("clusterConnections", backend.clusterConnections())
              .put("totalConnections", backend.totalConnections())
              .put("failedConnects", backend.failedConnects())
              .put("reportedActiveConnections", reported == null ? null : reported.active())
              .put("reportedTotalConnections", reported == null ? null : reported.total())
              .put("reportedLoops", NodeSample.reportedLoops(reported))
              .put("reportedFds", NodeSample.reportedFds(reported)));
    }
    return new JsonObject().put("balancer", balancerId).put("nodes", nodes);
  }

  private static JsonObject health(BackendHealth health) {
    HealthState state = health.state();
    return new JsonObject()
        .put("state", state.status().label())
        .put("reason", state.reason())
        .put("latencyMs", state.latencyNanos() < 0 ? null : millis(state.latencyNanos()))
        .put("passes", state.passes())
        .put("failures", state.failures())
        .put("checksPassed", health.passedChecks())
        .put("checksFailed", health.failedChecks());
  }

  private static JsonObject outlier(BackendHealth health, long now) {
    OutlierState outlier = health.outlier();
    return new JsonObject()
        .put("ejected", outlier.ejected(now))
        .put("remainingMs", TimeUnit.NANOSECONDS.toMillis(outlier.remainingNanos(now)))
        .put("ejections", health.ejections())
        .put("consecutiveFailures", outlier.consecutive())
        .put("lastFailure", outlier.reason());
  }

  /** Milliseconds with two decimals: a loopback check takes well under one. */
  static double millis(long nanos) {
    return StatsSampler.round(nanos / 1e6);
  }
}
