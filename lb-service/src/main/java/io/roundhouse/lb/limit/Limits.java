package io.roundhouse.lb.limit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every limit of one balancer process, shared by all its frontend verticles, and its meters: {@code
 * roundhouse_limit_rejections_total{protocol, reason}}, {@code roundhouse_queue_length{
 * backend_service}} and {@code roundhouse_queue_peak{backend_service}}.
 */
public final class Limits implements RejectionCounter {

  /** The protocols a rejection is counted under. */
  public static final List<String> PROTOCOLS = List.of("tcp", "http", "websocket");

  private final LimitsConfig config;
  private final ConnectionLimit tcp;
  private final ConnectionLimit http;
  private final ClientLimits clients;
  private final WaitQueues queues;
  private final Map<String, Map<Rejection, Counter>> rejections;

  public Limits(
      LimitsConfig config, Vertx vertx, MeterRegistry registry, List<String> queuedServices) {
    this.config = config;
    this.tcp = new ConnectionLimit(config.maxConnections());
    this.http = new ConnectionLimit(config.maxConnections());
    this.clients = new ClientLimits(config);
    this.queues = new WaitQueues(vertx, config.maxQueue());
    this.rejections = counters(registry);
    for (String service : queuedServices) {
      Gauge.builder("roundhouse.queue.length", queues, q -> q.length(service))
          .description("Connections and requests waiting for a backend of this service")
          .tag("backend_service", service)
          .register(registry);
      Gauge.builder("roundhouse.queue.peak", queues, q -> q.peak(service))
          .description("The most that ever waited at once for a backend of this service")
          .tag("backend_service", service)
          .register(registry);
    }
  }

  private static Map<String, Map<Rejection, Counter>> counters(MeterRegistry registry) {
    Map<String, Map<Rejection, Counter>> byProtocol = new java.util.HashMap<>();
    for (String protocol : PROTOCOLS) {
      Map<Rejection, Counter> byReason = new EnumMap<>(Rejection.class);
      for (Rejection r : Rejection.values()) {
        byReason.put(
            r,
            Counter.builder("roundhouse.limit.rejections")
                .description("Connections and requests a limit turned away")
                .tags("protocol", protocol, "reason", r.tag())
                .register(registry));
      }
      byProtocol.put(protocol, byReason);
    }
    return Map.copyOf(byProtocol);
  }

  public LimitsConfig config() {
    return config;
  }

  public ConnectionLimit tcp() {
    return tcp;
  }

  public ConnectionLimit http() {
    return http;
  }

  public ClientLimits clients() {
    return clients;
  }

  public WaitQueues queues() {
    return queues;
  }

  /** Counts one rejection. */
  @Override
  public void rejected(String protocol, Rejection rejection) {
    rejections.get(protocol).get(rejection).increment();
  }

  public double rejections(String protocol, Rejection rejection) {
    return rejections.get(protocol).get(rejection).count();
  }
}
