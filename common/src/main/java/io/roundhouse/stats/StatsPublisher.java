package io.roundhouse.stats;

import io.vertx.core.Vertx;

/** Publishes a node's connection counts to the cluster at a fixed interval. */
public final class StatsPublisher {

  public static final long DEFAULT_INTERVAL_MS = 500;

  private final Vertx vertx;
  private final String nodeId;
  private final String service;
  private final ConnectionCounter counter;
  private long timerId = -1;

  public StatsPublisher(Vertx vertx, String nodeId, String service, ConnectionCounter counter) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.service = service;
    this.counter = counter;
  }

  public void start(long intervalMs) {
    publish();
    timerId = vertx.setPeriodic(intervalMs, id -> publish());
  }

  public void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  public void publish() {
    NodeStats stats = new NodeStats(nodeId, service, counter.active(), counter.total());
    vertx.eventBus().publish(NodeStats.ADDRESS, stats.toJson());
  }
}
