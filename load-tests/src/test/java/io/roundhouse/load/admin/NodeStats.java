package io.roundhouse.load.admin;

/**
 * One backend as the balancer's {@code GET /api/nodes} shows it.
 *
 * @param totalConnections connections (or HTTP requests) the balancer routed to the node
 * @param reportedTotalConnections connections the node itself counted; {@code null} until it has
 *     published its first report
 */
public record NodeStats(
    String id,
    String service,
    String host,
    int port,
    boolean healthy,
    long activeConnections,
    long totalConnections,
    long failedConnects,
    Long reportedActiveConnections,
    Long reportedTotalConnections) {

  public NodeStats {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a node needs an id");
    }
    if (service == null || service.isBlank()) {
      throw new IllegalArgumentException("node " + id + " has no service");
    }
  }
}
