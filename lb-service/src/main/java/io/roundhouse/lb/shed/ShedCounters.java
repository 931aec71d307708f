package io.roundhouse.lb.shed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roundhouse.lb.conn.Kind;
import io.roundhouse.lb.conn.ShedReason;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What moving and draining count: {@code roundhouse_shed_total{reason,protocol}} (connections ended
 * on purpose), {@code roundhouse_rebalance_moves_total{service}}, and the gauges {@code
 * roundhouse_rebalance_spread{service}} ((max - min) / mean of the service's connections, as last
 * seen), {@code roundhouse_rebalance_tolerance}, {@code roundhouse_rebalance_window_moves_max} (the
 * most moves granted cluster-wide in one second, as this balancer saw it) and {@code
 * roundhouse_draining_connections} (connections waiting to be drained).
 */
final class ShedCounters {

  private final MeterRegistry registry;
  private final Map<String, Counter> shed = new ConcurrentHashMap<>();
  private final Map<String, Counter> moves = new ConcurrentHashMap<>();
  private final Map<String, AtomicReference<Double>> spreads = new ConcurrentHashMap<>();
  private final AtomicLong windowMax = new AtomicLong();

  ShedCounters(MeterRegistry registry, Supplier<Number> tolerance, Supplier<Number> draining) {
    this.registry = registry;
    Gauge.builder("roundhouse.rebalance.tolerance", tolerance)
        .description("How far a backend's connections may stray from the mean, as a fraction")
        .register(registry);
    Gauge.builder("roundhouse.rebalance.window.moves.max", windowMax, AtomicLong::get)
        .description("The most rebalancing moves granted cluster-wide in one second")
        .register(registry);
    Gauge.builder("roundhouse.draining.connections", draining)
        .description("Connections a drain has yet to close")
        .register(registry);
  }

  void shed(ShedReason reason, Kind kind) {
    String key = reason.name() + "/" + kind.name();
    shed.computeIfAbsent(
            key,
            k ->
                Counter.builder("roundhouse.shed")
                    .description("Connections the balancer ended on purpose, by reason")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .tag("protocol", kind.name().toLowerCase(Locale.ROOT))
                    .register(registry))
        .increment();
  }

  void moved(String service) {
    moves
        .computeIfAbsent(
            service,
            s ->
                Counter.builder("roundhouse.rebalance.moves")
                    .description("Connections moved off an overloaded backend")
                    .tag("service", s)
                    .register(registry))
        .increment();
  }

  void spread(String service, double spread) {
    spreads
        .computeIfAbsent(
            service,
            s -> {
              AtomicReference<Double> last = new AtomicReference<>(0.0);
              Gauge.builder("roundhouse.rebalance.spread", last, AtomicReference::get)
                  .description("(max - min) / mean of the service's connections, cluster-wide")
                  .tag("service", s)
                  .register(registry);
              return last;
            })
        .set(spread);
  }

  /** Moves granted so far in the current one-second window, cluster-wide. */
  void window(long granted) {
    windowMax.accumulateAndGet(granted, Math::max);
  }

  long windowMax() {
    return windowMax.get();
  }

  /** Per service: the spread last seen and the moves so far. */
  JsonObject services() {
    JsonObject out = new JsonObject();
    spreads.forEach(
        (service, spread) -> {
          Counter moved = moves.get(service);
          out.put(
              service,
              new JsonObject()
                  .put("spread", Math.round(spread.get() * 1000) / 1000.0)
                  .put("moves", moved == null ? 0 : (long) moved.count()));
        });
    return out;
  }

  /** Connections ended on purpose, by reason and protocol ("drain/websocket"). */
  JsonObject shed() {
    JsonObject out = new JsonObject();
    shed.forEach((key, counter) -> out.put(key.toLowerCase(Locale.ROOT), (long) counter.count()));
    return out;
  }
}
