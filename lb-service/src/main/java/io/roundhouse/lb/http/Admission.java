package io.roundhouse.lb.http;

import io.roundhouse.lb.limit.LimitExceededException;
import io.roundhouse.lb.limit.Limits;
import io.roundhouse.lb.limit.Rejection;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * The limits at the HTTP frontend's door: the frontend's and the client address's connection caps
 * when a connection arrives, the client's rate on every request. A connection over a cap is kept
 * just long enough to answer its first request (503 or 429, then close): HTTP has no other way to
 * say why. One per frontend verticle, so one event loop.
 */
final class Admission {

  private final Limits limits;
  private final GatewayErrors errors;
  private final Map<HttpConnection, Rejection> refused = new HashMap<>();

  Admission(Limits limits, GatewayErrors errors) {
    this.limits = limits;
    this.errors = errors;
  }

  /**
   * Takes the connection's places under the caps, or notes which cap it is over; returns what to
   * run when it closes.
   */
  Runnable connected(HttpConnection connection) {
    String client = connection.remoteAddress().hostAddress();
    Rejection rejection;
    if (!limits.http().tryAcquire()) {
      rejection = Rejection.FRONTEND_FULL;
    } else {
      rejection = limits.clients().admitConnection(client);
      if (rejection != null) {
        limits.http().release();
      }
    }
    if (rejection == null) {
      return () -> {
        limits.http().release();
        limits.clients().closed(client);
      };
    }
    refused.put(connection, rejection);
    return () -> refused.remove(connection);
  }

  /**
   * Whether {@code request} may go on; if not, it has been answered with the limit's status.
   *
   * @param protocol {@code http} or {@code websocket}, for the counters
   */
  boolean admit(HttpServerRequest request, String protocol) {
    Rejection rejection = refused.get(request.connection());
    if (rejection == null) {
      rejection = limits.clients().admitRequest(request.connection().remoteAddress().hostAddress());
    }
    if (rejection == null) {
      return true;
    }
    boolean close = rejection.closesConnection();
    errors
        .respond(
            protocol,
            request.response(),
            new LimitExceededException(rejection, "turned away: " + rejection.tag()))
        .onComplete(
            written -> {
              if (close) {
                request.connection().close();
              }
            });
    return false;
  }
}
