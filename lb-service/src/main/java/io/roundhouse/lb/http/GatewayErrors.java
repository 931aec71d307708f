package io.roundhouse.lb.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.roundhouse.lb.backend.NoBackendException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Maps a failure to reach or hear from a backend to one HTTP status, at the edge, and counts every
 * such answer as {@code roundhouse_gateway_errors_total{protocol, status}}.
 */
public final class GatewayErrors {

  /** The protocols of the L7 frontend, as the {@code protocol} tag. */
  static final String HTTP = "http";

  static final String WEBSOCKET = "websocket";

  private static final int[] STATUSES = {502, 503, 504};

  private final Map<String, Map<Integer, Counter>> counters;

  public GatewayErrors(MeterRegistry registry) {
    this.counters =
        Map.of(HTTP, countersFor(registry, HTTP), WEBSOCKET, countersFor(registry, WEBSOCKET));
  }

  private static Map<Integer, Counter> countersFor(MeterRegistry registry, String protocol) {
    Map<Integer, Counter> byStatus = new java.util.HashMap<>();
    for (int status : STATUSES) {
      byStatus.put(
          status,
          Counter.builder("roundhouse.gateway.errors")
              .description("Answers the balancer gave itself because a backend failed or was slow")
              .tags("protocol", protocol, "status", Integer.toString(status))
              .register(registry));
    }
    return Map.copyOf(byStatus);
  }

  static int status(Throwable error) {
    if (error instanceof NoBackendException || error instanceof ConnectionPoolTooBusyException) {
      return 503;
    }
    if (error instanceof TimeoutException || error.getCause() instanceof TimeoutException) {
      return 504;
    }
    return 502;
  }

  static String message(int status) {
    return switch (status) {
      case 503 -> "503 Service Unavailable: no backend available\n";
      case 504 -> "504 Gateway Timeout: the backend did not answer in time\n";
      default -> "502 Bad Gateway: the backend failed\n";
    };
  }

  /** Maps {@code error} to a status and counts it. */
  int count(String protocol, Throwable error) {
    int status = status(error);
    counters.get(protocol).get(status).increment();
    return status;
  }

  /**
   * Ends {@code response} with the mapped status and a short text body, and counts it; a response
   * already sent or a client already gone gets nothing.
   */
  void respond(String protocol, HttpServerResponse response, Throwable error) {
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    int status = count(protocol, error);
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Connection", status == 503 ? "keep-alive" : "close")
        .end(message(status));
  }
}
