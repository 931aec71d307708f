package io.roundhouse.lb.backend;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.roundhouse.metrics.NodeMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-backend meters, as this balancer sees each backend: {@code
 * roundhouse_backend_connections_active}, {@code roundhouse_backend_connections_total} and {@code
 * roundhouse_backend_connect_failures_total}, tagged {@code backend} and {@code backend_service}.
 * Registered when a backend joins and removed when it leaves, so a scrape lists live backends only.
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
    List<Meter> meters =
        List.of(
            Gauge.builder(
                    "roundhouse.backend.connections.active", backend, Backend::activeConnections)
                .description("Connections (or in-flight requests) this balancer has open to it")
                .tags(tags)
                .register(metrics.registry()),
            FunctionCounter.builder(
                    "roundhouse.backend.connections", backend, Backend::totalConnections)
                .description("Connections and requests this balancer routed to it")
                .tags(tags)
                .register(metrics.registry()),
            FunctionCounter.builder(
                    "roundhouse.backend.connect.failures", backend, Backend::failedConnects)
                .description("Connection attempts to it that were refused")
                .tags(tags)
                .register(metrics.registry()));
    List<Meter> previous = byBackend.put(backend.id(), meters);
    if (previous != null) {
      metrics.remove(previous);
    }
  }

  @Override
  public void removed(Backend backend) {
    List<Meter> meters = byBackend.remove(backend.id());
    if (meters != null) {
      metrics.remove(meters);
    }
  }
}
