package io.roundhouse.lb.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts the requests and connections the balancer refused itself, as {@code
 * roundhouse_edge_rejections_total{reason}}; every reason is registered at start, at zero.
 */
public final class EdgeRejections {

  static final String METER = "roundhouse.edge.rejections";

  private final Map<Rejection, Counter> counters = new EnumMap<>(Rejection.class);

  public EdgeRejections(MeterRegistry registry) {
    for (Rejection rejection : Rejection.values()) {
      counters.put(
          rejection,
          Counter.builder(METER)
              .description("Requests and connections the balancer refused before any backend")
              .tag("reason", rejection.reason())
              .register(registry));
    }
  }

  void count(Rejection rejection) {
    counters.get(rejection).increment();
  }
}
