package io.roundhouse.lb.conn;

import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;

/**
 * A live connection read once, at {@code now}: what a listing filters, sorts and shows (the live
 * entry's counters move while a page is built, and a sort must see fixed values).
 */
record ConnectionRow(
    long id,
    Kind kind,
    String frontend,
    String service,
    String backend,
    String loop,
    InetSocketAddress client,
    InetSocketAddress local,
    InetSocketAddress outboundLocal,
    InetSocketAddress outboundRemote,
    long openedMillis,
    long ageNanos,
    long idleNanos,
    long bytesFromClient,
    long bytesToClient,
    long requests) {

  static ConnectionRow of(LiveConnection c, long now) {
    Traffic traffic = c.traffic();
    return new ConnectionRow(
        c.id(),
        c.kind(),
        c.frontend(),
        c.service(),
        c.backend(),
        c.loop(),
        c.client(),
        c.local(),
        c.outboundLocal(),
        c.outboundRemote(),
        c.openedMillis(),
        Math.max(0, now - c.openedNanos()),
        c.idleNanos(now),
        traffic.bytesFromClient(),
        traffic.bytesToClient(),
        c.requests());
  }

  long bytes() {
    return bytesFromClient + bytesToClient;
  }

  JsonObject toJson() {
    String transport = kind == Kind.UDP ? "udp" : "tcp";
    JsonObject json =
        new JsonObject()
            .put("id", id)
            .put("protocol", kind.label())
            .put("frontend", frontend)
            .put("service", service)
            .put("backend", backend)
            .put("loop", loop)
            .put("inbound", leg(transport, client, local))
            .put(
                "outbound",
                outboundRemote == null ? null : leg(transport, outboundLocal, outboundRemote))
            .put("openedAt", openedMillis)
            .put("ageMs", ageNanos / 1_000_000)
            .put("idleMs", idleNanos / 1_000_000)
            .put("bytesFromClient", bytesFromClient)
            .put("bytesToClient", bytesToClient);
    if (kind == Kind.HTTP || kind == Kind.WEBSOCKET) {
      json.put("requests", requests);
    }
    return json;
  }

  /** A leg as its 5-tuple: transport, source address:port, destination address:port. */
  private static JsonObject leg(
      String transport, InetSocketAddress source, InetSocketAddress destination) {
    return new JsonObject()
        .put("transport", transport)
        .put("source", text(source))
        .put("destination", text(destination));
  }

  static String text(InetSocketAddress address) {
    if (address == null) {
      return null;
    }
    String host =
        address.getAddress() == null
            ? address.getHostString()
            : address.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
