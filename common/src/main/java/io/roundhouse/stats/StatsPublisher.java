package io.roundhouse.stats;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Supplier;

/**
 * Publishes a node's connection counts, per event loop too, its process's fds (and its UDP counts,
 * if it has a UDP socket) to the cluster at a fixed interval.
 */
public final class StatsPublisher {

  public static final long DEFAULT_INTERVAL_MS = 500;

  private final Vertx vertx;
  private final String nodeId;
  private final String service;
  private final ConnectionCounter counter;
  private final Supplier<DatagramStats> udp;
  private long timerId = -1;
  private volatile boolean stopped;

  public StatsPublisher(Vertx vertx, String nodeId, String service, ConnectionCounter counter) {
    this(vertx, nodeId, service, counter, () -> null);
  }

  /**
   * @param udp the UDP counts to publish beside the connections; null from it publishes none
   */
  public StatsPublisher(
      Vertx vertx,
      String nodeId,
      String service,
      ConnectionCounter counter,
      Supplier<DatagramStats> udp) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.service = service;
    this.counter = counter;
    this.udp = udp;
  }

  public void start(long intervalMs) {
    publish();
    timerId = vertx.setPeriodic(intervalMs, id -> publish());
  }

  public void stop() {
    stopped = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  /**
   * Takes the counts now, reads the fds on a worker (counting them lists {@code /proc/self/fd}: a
   * blocking read, thousands of entries on a busy node, kept off the event loop), then publishes.
   */
  public void publish() {
    long active = counter.active();
    long total = counter.total();
    DatagramStats datagrams = udp.get();
    List<LoopStats> loops = counter.loops();
    vertx
        .executeBlocking(FdStats::current, false)
        .onSuccess(
            fds -> {
              if (!stopped) {
                NodeStats stats =
                    new NodeStats(nodeId, service, active, total, datagrams, loops, fds);
                vertx.eventBus().publish(NodeStats.ADDRESS, stats.toJson());
              }
            });
  }
}
