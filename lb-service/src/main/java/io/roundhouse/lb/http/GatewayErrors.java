package io.roundhouse.lb.http;

import io.roundhouse.lb.backend.NoBackendException;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.TimeoutException;

/** Maps a failure to reach or hear from a backend to one HTTP status, at the edge. */
final class GatewayErrors {

  private GatewayErrors() {}

  static int status(Throwable error) {
    if (error instanceof NoBackendException) {
      return 503;
    }
    if (error instanceof TimeoutException
        || error.getCause() instanceof TimeoutException
        || error.getClass().getSimpleName().contains("Timeout")) {
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

  /** Ends {@code response} with the mapped status and a short text body, if not yet sent. */
  static void respond(HttpServerResponse response, Throwable error) {
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    int status = status(error);
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Connection", status == 503 ? "keep-alive" : "close")
        .end(message(status));
  }
}
