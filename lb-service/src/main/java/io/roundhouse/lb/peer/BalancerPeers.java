package io.roundhouse.lb.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Every balancer of the cluster as this one last heard of it, itself included: each publishes its
 * {@link BalancerReport} on {@link #ADDRESS} every interval and on leaving says so; one not heard
 * for {@link #MISSED_REPORTS} intervals (it died, or is cut off) is no longer listed.
 */
public final class BalancerPeers {

  /** Cluster-wide event bus address of the reports. */
  public static final String ADDRESS = "roundhouse.balancers";

  public static final long DEFAULT_INTERVAL_MS = 1_000;

  /** Intervals without a report after which a balancer is no longer listed. */
  static final int MISSED_REPORTS = 3;

  private final Vertx vertx;
  private volatile Supplier<BalancerReport> self;
  private final long intervalMs;
  private final Map<String, Heard> heard = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;
  private long timer = -1;

  /** A report and when it arrived, on the {@link System#nanoTime()} clock. */
  private record Heard(BalancerReport report, long at) {}

  public BalancerPeers(Vertx vertx, long intervalMs) {
    this.vertx = vertx;
    this.intervalMs = intervalMs;
  }

  /**
   * Listens, then publishes {@code self}, this balancer's report as of now, at once and every
   * interval. Called once every port is bound, so the report can name them.
   */
  public Future<Void> start(Supplier<BalancerReport> self) {
    this.self = self;
    consumer = vertx.eventBus().<JsonObject>consumer(ADDRESS).handler(m -> heard(m.body()));
    return consumer
        .completion()
        .onSuccess(
            v -> {
              publish();
              timer = vertx.setPeriodic(intervalMs, id -> publish());
            });
  }

  private void heard(JsonObject json) {
    String id = json.getString("id");
    if (id == null) {
      return;
    }
    if (json.getBoolean("left", false)) {
      heard.remove(id);
    } else {
      heard.put(id, new Heard(BalancerReport.fromJson(json), System.nanoTime()));
    }
  }

  private void publish() {
    vertx.eventBus().publish(ADDRESS, self.get().toJson());
  }

  /**
   * The balancers heard from within {@link #MISSED_REPORTS} intervals, this one first (once
   * started).
   */
  public List<BalancerReport> list() {
    Supplier<BalancerReport> own = self;
    BalancerReport mine = own == null ? null : own.get();
    long stale = System.nanoTime() - MISSED_REPORTS * intervalMs * 1_000_000L;
    heard.values().removeIf(h -> h.at() - stale < 0);
    Stream<BalancerReport> others =
        heard.values().stream()
            .map(Heard::report)
            .filter(r -> mine == null || !r.id().equals(mine.id()))
            .sorted(Comparator.comparing(BalancerReport::id));
    return (mine == null ? others : Stream.concat(Stream.of(mine), others)).toList();
  }

  /** {@code /api/balancers}: every balancer's report, this one's first. */
  public JsonObject render() {
    JsonArray all = new JsonArray();
    list().forEach(r -> all.add(r.toJson()));
    return new JsonObject().put("balancers", all);
  }

  /** Stops publishing and tells the others it left. */
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (self != null) {
      vertx
          .eventBus()
          .publish(ADDRESS, new JsonObject().put("id", self.get().id()).put("left", true));
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
