package io.roundhouse.lb.backend;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.roundhouse.lb.health.BackendHealth;
import io.roundhouse.lb.health.HealthState;
import io.roundhouse.metrics.NodeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-backend meters, as this balancer sees each backend, tagged {@code backend} and {@code
 * backend_service}: its connections ({@code roundhouse_backend_connections_active}, {@code
 * roundhouse_backend_connections_total}, {@code roundhouse_backend_connect_failures_total}) and its
 * health ({@code roundhouse_backend_up}, {@code roundhouse_backend_health{state}}, {@code
 * roundhouse_backend_ejected}, {@code roundhouse_backend_weight}, {@code
 * roundhouse_backend_check_latency_seconds}, {@code roundhouse_health_checks_total{result}}, {@code
 * roundhouse_outlier_ejections_total}). Registered when a backend joins and removed when it leaves,
 * so a scrape lists live backends only.
 */
public final class BackendMeters implements BackendDirectory.Changes {

  private final NodeMetrics metrics;
  private final Map<String, List<Meter>> byBackend = new ConcurrentHashMap<>();

  public BackendMeters(NodeMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void added(Backend backend) {
    Tags tags = Tags.of("backend", backend.id(), "backend_service", backend.service());
    MeterRegistry registry = metrics.registry();
    List<Meter> meters = new ArrayList<>();
    meters.add(
        Gauge.builder("roundhouse.backend.connections.active", backend, Backend::activeConnections)
            .description("Connections (or in-flight requests) this balancer has open to it")
            .tags(tags)
            .register(registry));
    meters.add(
        FunctionCounter.builder(
                "roundhouse.backend.connections", backend, Backend::totalConnections)
            .description("Connections and requests this balancer routed to it")
            .tags(tags)
            .register(registry));
    meters.add(
        FunctionCounter.builder(
                "roundhouse.backend.connect.failures", backend, Backend::failedConnects)
            .description("Connection attempts to it that failed")
            .tags(tags)
            .register(registry));
    addHealth(meters, registry, tags, backend.health());
    List<Meter> previous = byBackend.put(backend.id(), meters);
    if (previous != null) {
      metrics.remove(previous);
    }
  }

  private static void addHealth(
      List<Meter> meters, MeterRegistry registry, Tags tags, BackendHealth health) {
    meters.add(
        Gauge.builder("roundhouse.backend.up", health, h -> h.inRotation(System.nanoTime()) ? 1 : 0)
            .description("1 while it is in rotation for new connections: not down, not ejected")
            .tags(tags)
            .register(registry));
    for (HealthState.Status status : HealthState.Status.values()) {
      meters.add(
          Gauge.builder(
                  "roundhouse.backend.health", health, h -> h.state().status() == status ? 1 : 0)
              .description("1 for the state the active checks have it in, 0 for the others")
              .tags(tags.and("state", status.label()))
              .register(registry));
    }
    meters.add(
        Gauge.builder(
                "roundhouse.backend.ejected",
                health,
                h -> h.outlier().ejected(System.nanoTime()) ? 1 : 0)
            .description("1 while outlier detection has it ejected")
            .tags(tags)
            .register(registry));
    meters.add(
        Gauge.builder("roundhouse.backend.weight", health, h -> h.weight(System.nanoTime()))
            .description(
                "Its slow-start weight: its share of new connections relative to a full one")
            .tags(tags)
            .register(registry));
    meters.add(
        Gauge.builder(
                "roundhouse.backend.check.latency",
                health,
                h -> Math.max(0, h.state().latencyNanos()) / 1e9)
            .description("How long its last active check took; 0 before the first")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry));
    meters.add(
        FunctionCounter.builder("roundhouse.health.checks", health, BackendHealth::passedChecks)
            .description("Active checks of it, by result")
            .tags(tags.and("result", "pass"))
            .register(registry));
    meters.add(
        FunctionCounter.builder("roundhouse.health.checks", health, BackendHealth::failedChecks)
            .description("Active checks of it, by result")
            .tags(tags.and("result", "fail"))
            .register(registry));
    meters.add(
        FunctionCounter.builder("roundhouse.outlier.ejections", health, BackendHealth::ejections)
            .description("Times outlier detection ejected it")
            .tags(tags)
            .register(registry));
  }

  @Override
  public void removed(Backend backend) {
    List<Meter> meters = byBackend.remove(backend.id());
    if (meters != null) {
      metrics.remove(meters);
    }
  }
}
