package io.roundhouse.lb;

import io.roundhouse.stats.ConnectionCounter;

/**
 * Inbound connections per protocol, shared by every frontend verticle instance.
 *
 * @param tcp TCP connections accepted on the TCP frontend
 * @param http HTTP connections accepted on the HTTP frontend
 * @param webSocket WebSocket tunnels established through the HTTP frontend
 */
public record FrontendCounters(
    ConnectionCounter tcp, ConnectionCounter http, ConnectionCounter webSocket) {

  public static FrontendCounters create() {
    return new FrontendCounters(
        new ConnectionCounter(), new ConnectionCounter(), new ConnectionCounter());
  }
}
