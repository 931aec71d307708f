package io.roundhouse.lb.admin;

import io.roundhouse.stats.FdStats;
import io.roundhouse.stats.NodeStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One backend at one sampling instant.
 *
 * @param id node id
 * @param service {@code echo} or {@code ws}
 * @param host address the balancer connects to
 * @param port port the balancer connects to
 * @param health see {@link Health}
 * @param reason why it has that health, in a few words
 * @param weight its slow-start weight, 1 once warm
 * @param activeConnections connections the balancer has open to the node now
 * @param totalConnections connections (and HTTP requests) the balancer has routed to it
 * @param reportedActive connections the node says it has open, or null before its first report
 * @param reportedTotal connections the node says it has accepted, or null before its first report
 * @param connectionsPerSecond routed per second: the growth of {@code totalConnections} since the
 *     previous sample, divided by the time between the two samples; 0 on a node's first sample
 * @param reported the node's last report, for its own side (loops, fds), or null before its first
 */
record NodeSample(
    String id,
    String service,
    String host,
    int port,
    Health health,
    String reason,
    double weight,
    long activeConnections,
    long totalConnections,
    Long reportedActive,
    Long reportedTotal,
    double connectionsPerSecond,
    NodeStats reported) {

  JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("service", service)
        .put("host", host)
        .put("port", port)
        .put("health", health.label())
        .put("reason", reason)
        .put("weight", weight)
        .put("activeConnections", activeConnections)
        .put("totalConnections", totalConnections)
        .put("reportedActiveConnections", reportedActive)
        .put("reportedTotalConnections", reportedTotal)
        .put("connectionsPerSecond", connectionsPerSecond)
        .put("reportedLoops", reportedLoops(reported))
        .put("reportedFds", reportedFds(reported));
  }

  /** The node's connections per event loop as it reports them; null before its first report. */
  static JsonArray reportedLoops(NodeStats reported) {
    return reported == null ? null : reported.loopsJson();
  }

  /** The node's process's fds as it reports them; null before a report, or from an older node. */
  static JsonObject reportedFds(NodeStats reported) {
    FdStats fds = reported == null ? null : reported.fds();
    return fds == null ? null : fds.toJson();
  }
}
