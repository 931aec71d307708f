package io.roundhouse.lb.admin;

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
    double connectionsPerSecond) {

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
        .put("connectionsPerSecond", connectionsPerSecond);
  }
}
