package io.roundhouse.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.Handler;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.EnumSet;
import java.util.List;

/**
 * One node's Prometheus registry, served at {@code /metrics} by each service. Every meter carries
 * the {@code node} and {@code service} tags: ours, the JVM's and the process's, and Vert.x's own
 * (servers, clients, pools, event bus) when {@code METRICS_VERTX} turns them on.
 */
public final class NodeMetrics {

  /** Open connections, by {@code protocol}. */
  public static final String CONNECTIONS_ACTIVE = "roundhouse.connections.active";

  /** Connections accepted since start, by {@code protocol}; Prometheus adds {@code _total}. */
  public static final String CONNECTIONS = "roundhouse.connections";

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;

  private NodeMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gc) {
    this.registry = registry;
    this.gc = gc;
  }

  public static NodeMetrics create(String nodeId, String service) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("node", nodeId, "service", service);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return new NodeMetrics(registry, gc);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Hands Vert.x this registry, so its metrics share the node's tags and endpoint. */
  public VertxMetricsFactory vertxFactory() {
    return new MicrometerMetricsFactory(registry);
  }

  /**
   * Options for Vert.x's own meters, used when {@link MetricsConfig#vertxMeters()} asks for them
   * (and {@link #vertxFactory()} is given to Vert.x): bounded labels only: no event bus address
   * (room names come from users), no remote address, no request path.
   */
  public MetricsOptions vertxOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(false)
        .setLabels(
            EnumSet.of(
                Label.HTTP_METHOD,
                Label.HTTP_CODE,
                Label.EB_SIDE,
                Label.EB_FAILURE,
                Label.POOL_TYPE,
                Label.POOL_NAME,
                Label.NAMESPACE));
  }

  /** Exposes a counter as {@code roundhouse_connections_active} and {@code _total}. */
  public List<Meter> connections(String protocol, ConnectionCounter counter) {
    return connections(CONNECTIONS_ACTIVE, CONNECTIONS, Tags.of("protocol", protocol), counter);
  }

  /** Registers an active gauge and a total counter reading one {@link ConnectionCounter}. */
  public List<Meter> connections(
      String activeName, String totalName, Tags tags, ConnectionCounter counter) {
    Gauge active =
        Gauge.builder(activeName, counter, ConnectionCounter::active)
            .description("Connections open now")
            .tags(tags)
            .register(registry);
    FunctionCounter total =
        FunctionCounter.builder(totalName, counter, ConnectionCounter::total)
            .description("Connections opened since start")
            .tags(tags)
            .register(registry);
    return List.of(active, total);
  }

  /** Drops meters whose source is gone, so a later registration reads the new one. */
  public void remove(List<Meter> meters) {
    meters.forEach(registry::remove);
  }

  /** The {@code GET /metrics} handler, Prometheus text format. */
  public Handler<RoutingContext> scrapeHandler() {
    return PrometheusScrapingHandler.create(registry);
  }

  public void close() {
    gc.close();
    registry.close();
  }
}
