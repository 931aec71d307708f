package io.roundhouse.lb.admin;

import io.roundhouse.lb.backend.Backend;
import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.stats.NodeStats;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Samples every live backend at a fixed interval and keeps each one's recent history. Confined to
 * the admin verticle's event loop: it is sampled and read there only, so it needs no locks.
 */
final class StatsSampler {

  /** One sample a second. */
  static final long INTERVAL_MS = 1_000;

  private final String balancer;
  private final BackendDirectory directory;
  private final Map<String, Track> tracks = new HashMap<>();
  private StatsSnapshot latest;

  StatsSampler(String balancer, BackendDirectory directory) {
    this.balancer = balancer;
    this.directory = directory;
    this.latest = new StatsSnapshot(balancer, System.currentTimeMillis(), INTERVAL_MS, List.of());
  }

  /**
   * Takes a sample; backends that left since the last one are dropped, history and all.
   *
   * @param epochMillis the sample's timestamp
   * @param nowNanos {@link System#nanoTime()} now, for rates and report ages
   */
  StatsSnapshot sample(long epochMillis, long nowNanos) {
    List<Backend> live = directory.all();
    Set<String> ids = live.stream().map(Backend::id).collect(Collectors.toSet());
    tracks.keySet().retainAll(ids);
    List<NodeSample> nodes = new ArrayList<>(live.size());
    for (Backend backend : live) {
      Track track = tracks.computeIfAbsent(backend.id(), id -> new Track());
      NodeSample node = sampleOne(backend, track, nowNanos);
      track.history.add(epochMillis, node.activeConnections(), node.reportedActive());
      nodes.add(node);
    }
    latest = new StatsSnapshot(balancer, epochMillis, INTERVAL_MS, nodes);
    return latest;
  }

  private static NodeSample sampleOne(Backend backend, Track track, long nowNanos) {
    long total = backend.totalConnections();
    double perSecond = 0;
    if (track.sampled && nowNanos > track.lastNanos) {
      perSecond = (total - track.lastTotal) * 1e9 / (nowNanos - track.lastNanos);
    }
    track.lastTotal = total;
    track.lastNanos = nowNanos;
    track.sampled = true;
    NodeStats reported = backend.reported();
    Health health = Health.of(backend, nowNanos);
    return new NodeSample(
        backend.id(),
        backend.service(),
        backend.instance().host(),
        backend.instance().port(),
        health,
        health.reason(backend, nowNanos),
        round(backend.health().weight(nowNanos)),
        backend.activeConnections(),
        total,
        reported == null ? null : reported.active(),
        reported == null ? null : reported.total(),
        round(perSecond),
        reported);
  }

  StatsSnapshot latest() {
    return latest;
  }

  /** A node's history, oldest first; empty for a node never sampled. */
  JsonArray history(String id) {
    Track track = tracks.get(id);
    return track == null ? new JsonArray() : track.history.toJson();
  }

  /** Two decimals are plenty for a rate shown to people. */
  static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static final class Track {
    final NodeHistory history = new NodeHistory();
    long lastTotal;
    long lastNanos;
    boolean sampled;
  }
}
