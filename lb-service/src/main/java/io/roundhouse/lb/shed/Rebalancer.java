package io.roundhouse.lb.shed;

import io.roundhouse.lb.backend.Backend;
import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.lb.conn.ConnectionRegistry;
import io.roundhouse.lb.conn.Kind;
import io.roundhouse.lb.conn.LiveConnection;
import io.roundhouse.lb.conn.ShedReason;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Moves long-lived connections off overloaded backends, one look per interval and service: when the
 * spread of the service's cluster-wide counts strays past the tolerance ({@link RebalancePlan}),
 * this balancer sheds its share of the excess off the most loaded backend, in proportion to how
 * many of that backend's connections it holds, within the cluster-wide budget ({@link MoveBudget}).
 * The oldest go first: WebSocket tunnels (closed with 1012 at a frame boundary), and TCP streams
 * idle for {@code LB_SHED_TCP_IDLE}. Each move waits a random jitter. The clients reconnect, and
 * the strategy sends them to the light backends. Runs on one context.
 */
final class Rebalancer {

  private final Vertx vertx;
  private final Context context;
  private ShedConfig config;
  private final BackendDirectory directory;
  private final ConnectionRegistry registry;
  private final MoveBudget budget;
  private final ShedCounters counters;
  private final List<String> services;
  private final Set<LiveConnection> moving = new HashSet<>();
  private boolean asking;

  Rebalancer(
      Vertx vertx,
      Context context,
      ShedConfig config,
      BackendDirectory directory,
      ConnectionRegistry registry,
      MoveBudget budget,
      ShedCounters counters,
      List<String> services) {
    this.vertx = vertx;
    this.context = context;
    this.config = config;
    this.directory = directory;
    this.registry = registry;
    this.budget = budget;
    this.counters = counters;
    this.services = List.copyOf(services);
  }

  /** Settings for the looks and moves from now on; moves under way go on. */
  void retune(ShedConfig config) {
    this.config = config;
  }

  ShedConfig config() {
    return config;
  }

  /** One look at every service. */
  void tick() {
    moving.removeIf(c -> !registry.isLive(c));
    for (String service : services) {
      look(service);
    }
  }

  private void look(String service) {
    Map<String, Long> counts = new LinkedHashMap<>();
    Map<String, Backend> byId = new LinkedHashMap<>();
    for (Backend b : directory.live(service)) {
      if (b.healthy()) {
        counts.put(b.id(), b.clusterConnections());
        byId.put(b.id(), b);
      }
    }
    counters.spread(service, RebalancePlan.spread(counts));
    if (!config.rebalance() || asking) {
      return;
    }
    RebalancePlan.plan(counts, config.tolerance())
        .ifPresent(move -> shedShare(service, byId.get(move.from()), move.count()));
  }

  /** Sheds this balancer's share of {@code excess} off {@code from}. */
  private void shedShare(String service, Backend from, long excess) {
    long nanos = System.nanoTime();
    long tcpIdle = config.tcpIdle().toNanos();
    List<LiveConnection> movable =
        registry.snapshot().stream()
            .filter(c -> from.id().equals(c.backend()) && !moving.contains(c))
            .filter(
                c ->
                    c.kind() == Kind.WEBSOCKET
                        || (c.kind() == Kind.TCP && c.idleNanos(nanos) >= tcpIdle))
            .sorted(Comparator.comparingLong(LiveConnection::openedNanos))
            .toList();
    long pending = moving.stream().filter(c -> from.id().equals(c.backend())).count();
    double ownShare = from.activeConnections() / (double) Math.max(1, from.clusterConnections());
    long share = Math.max(1, Math.round(excess * Math.min(1.0, ownShare))) - pending;
    int wanted = (int) Math.min(movable.size(), Math.max(0, share));
    if (wanted == 0) {
      return;
    }
    asking = true;
    budget
        .take(wanted)
        .onComplete(
            granted ->
                context.runOnContext(
                    v -> {
                      asking = false;
                      if (granted.succeeded()) {
                        counters.window(granted.result().windowTotal());
                        movable.stream()
                            .limit(granted.result().moves())
                            .forEach(c -> later(service, c));
                      }
                    }));
  }

  /** Sheds one connection after a random jitter. */
  private void later(String service, LiveConnection c) {
    moving.add(c);
    long jitterMs = config.jitter().toMillis();
    long delay = 1 + (jitterMs == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitterMs));
    vertx.setTimer(
        delay,
        t ->
            c.shed(ShedReason.REBALANCE, config.tcpIdle())
                .onComplete(
                    shed ->
                        context.runOnContext(
                            v -> {
                              if (shed.succeeded() && shed.result()) {
                                counters.moved(service);
                                counters.shed(ShedReason.REBALANCE, c.kind());
                              } else {
                                moving.remove(c);
                              }
                            })));
  }
}
