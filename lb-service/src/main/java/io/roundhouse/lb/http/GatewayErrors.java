package io.roundhouse.lb.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.roundhouse.lb.backend.NoBackendException;
import io.roundhouse.lb.limit.LimitExceededException;
import io.roundhouse.lb.limit.LimitsConfig;
import io.roundhouse.lb.limit.RejectionCounter;
import io.vertx.core.Future;
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

  private static final int[] STATUSES = {429, 502, 503, 504};

  private final Map<String, Map<Integer, Counter>> counters;
  private final RejectionCounter rejections;
  private final String retryAfter;

  public GatewayErrors(MeterRegistry registry) {
    this(registry, RejectionCounter.NONE, LimitsConfig.DEFAULT_RETRY_AFTER);
  }

  /**
   * @param rejections where answers for a limit are counted too, by reason
   * @param retryAfter what a 503 or 429 tells the client to wait
   */
  public GatewayErrors(
      MeterRegistry registry, RejectionCounter rejections, java.time.Duration retryAfter) {
    this.counters =
        Map.of(HTTP, countersFor(registry, HTTP), WEBSOCKET, countersFor(registry, WEBSOCKET));
    this.rejections = rejections;
    this.retryAfter = Long.toString(Math.max(1, retryAfter.toSeconds()));
  }

  private static Map<Integer, Counter> countersFor(MeterRegistry registry, String protocol) {
    Map<Integer, Counter> byStatus = new java.util.HashMap<>();
    for (int status : STATUSES) {
      byStatus.put(
          status,
          Counter.builder("roundhouse.gateway.errors")
              .description(
                  "Answers the balancer gave itself instead of a backend's: a backend failed or was slow, or a limit turned the client away")
              .tags("protocol", protocol, "status", Integer.toString(status))
              .register(registry));
    }
    return Map.copyOf(byStatus);
  }

  static int status(Throwable error) {
    if (error instanceof LimitExceededException limit) {
      return limit.rejection().httpStatus();
    }
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
      case 429 -> "429 Too Many Requests: slow down\n";
      case 503 -> "503 Service Unavailable: no backend available\n";
      case 504 -> "504 Gateway Timeout: the backend did not answer in time\n";
      default -> "502 Bad Gateway: the backend failed\n";
    };
  }

  /** Maps {@code error} to a status and counts it. */
  int count(String protocol, Throwable error) {
    int status = status(error);
    counters.get(protocol).get(status).increment();
    if (error instanceof LimitExceededException limit) {
      rejections.rejected(protocol, limit.rejection());
    }
    return status;
  }

  /** A 503 or 429 the client may retry on the same connection; after anything else, it closes. */
  private static boolean keepsConnection(Throwable error) {
    if (error instanceof LimitExceededException limit) {
      return !limit.rejection().closesConnection();
    }
    return status(error) == 503;
  }

  /** {@code Retry-After} for a 503 or 429, else null. */
  String retryAfter(int status) {
    return status == 503 || status == 429 ? retryAfter : null;
  }

  /**
   * Ends {@code response} with the mapped status and a short text body, and counts it; a response
   * already sent or a client already gone gets nothing. Completes once the answer is written.
   */
  Future<Void> respond(String protocol, HttpServerResponse response, Throwable error) {
    if (response.headWritten() || response.ended() || response.closed()) {
      return Future.succeededFuture();
    }
    int status = count(protocol, error);
    String wait = retryAfter(status);
    if (wait != null) {
      response.putHeader("Retry-After", wait);
    }
    return response
        .setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Connection", keepsConnection(error) ? "keep-alive" : "close")
        .end(message(status));
  }
}
