package io.roundhouse.metrics;

import io.roundhouse.config.Settings;

/**
 * What a node measures beyond its own connection counters, the JVM and its file descriptors.
 *
 * @param vertxMeters Vert.x's own meters: bytes and connections per server and client, HTTP
 *     requests and their latency, pools, event bus. Off by default: they cost the balancer's L7
 *     path a measurable share of its throughput (docs/benchmarks.md).
 */
public record MetricsConfig(boolean vertxMeters) {

  public static final boolean DEFAULT_VERTX_METERS = false;

  public static final MetricsConfig DEFAULT = new MetricsConfig(DEFAULT_VERTX_METERS);

  public static MetricsConfig from(Settings s) {
    return new MetricsConfig(s.bool("METRICS_VERTX", DEFAULT_VERTX_METERS));
  }
}
