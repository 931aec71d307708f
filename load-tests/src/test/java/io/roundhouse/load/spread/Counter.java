package io.roundhouse.load.spread;

import io.roundhouse.load.admin.NodeStats;

/** Which of the admin API's counters a spread is computed from. */
public enum Counter {
  /** What the balancer routed: {@code totalConnections}. */
  ROUTED("routed by the balancer (totalConnections)"),
  /** What the nodes themselves counted: {@code reportedTotalConnections}, null as 0. */
  REPORTED("reported by the nodes (reportedTotalConnections)");

  private final String description;

  Counter(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  long of(NodeStats node) {
    if (node == null) {
      return 0;
    }
    if (this == ROUTED) {
      return node.totalConnections();
    }
    Long reported = node.reportedTotalConnections();
    return reported == null ? 0 : reported;
  }
}
