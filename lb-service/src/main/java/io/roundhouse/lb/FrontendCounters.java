package io.roundhouse.lb;

import io.roundhouse.lb.conn.ConnectionRegistry;
import io.roundhouse.metrics.NodeMetrics;
import io.roundhouse.stats.ConnectionCounter;

/**
 * Inbound connections per protocol, shared by every frontend verticle instance.
 *
 * @param tcp TCP connections accepted on the TCP frontend
 * @param http HTTP connections accepted on the HTTP frontend
 * @param webSocket WebSocket tunnels established through the HTTP frontend
 * @param udp UDP flows (a client's address and port) held by the UDP frontend
 * @param connections every one of them, live, for the connection list
 */
public record FrontendCounters(
    ConnectionCounter tcp,
    ConnectionCounter http,
    ConnectionCounter webSocket,
    ConnectionCounter udp,
    ConnectionRegistry connections) {

  public static FrontendCounters create() {
    return new FrontendCounters(
        new ConnectionCounter(),
        new ConnectionCounter(),
        new ConnectionCounter(),
        new ConnectionCounter(),
        new ConnectionRegistry());
  }

  /** Exposes the inbound counts as {@code roundhouse_connections_*{protocol=...}}. */
  public void register(NodeMetrics metrics) {
    metrics.connections("tcp", tcp);
    metrics.connections("http", http);
    metrics.connections("websocket", webSocket);
    metrics.connections("udp", udp);
  }
}
