package io.roundhouse.lb.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/** Adds {@code X-Forwarded-*} and RFC 7239 {@code Forwarded} headers for a proxied request. */
final class Forwarded {

  private Forwarded() {}

  static void add(HttpServerRequest inbound, MultiMap outboundHeaders) {
    SocketAddress remote = inbound.remoteAddress();
    String client = remote == null ? "unknown" : remote.hostAddress();
    String proto = inbound.isSSL() ? "https" : "http";
    String host = inbound.authority() == null ? null : inbound.authority().toString();

    String previous = outboundHeaders.get("X-Forwarded-For");
    outboundHeaders.set(
        "X-Forwarded-For",
        previous == null || previous.isBlank() ? client : previous + ", " + client);
    outboundHeaders.set("X-Forwarded-Proto", proto);
    if (host != null) {
      outboundHeaders.set("X-Forwarded-Host", host);
    }

    StringBuilder element =
        new StringBuilder("for=").append(node(client)).append(";proto=").append(proto);
    if (host != null) {
      element.append(";host=\"").append(host).append('"');
    }
    String previousForwarded = outboundHeaders.get("Forwarded");
    outboundHeaders.set(
        "Forwarded",
        previousForwarded == null || previousForwarded.isBlank()
            ? element.toString()
            : previousForwarded + ", " + element);
  }

  /** RFC 7239 section 6: IPv6 addresses are bracketed and quoted. */
  private static String node(String address) {
    return address.contains(":") ? "\"[" + address + "]\"" : address;
  }
}
