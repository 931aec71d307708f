package io.roundhouse.lb.http;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Headers that describe one connection, not the message (RFC 9110 section 7.6.1), and so are not
 * forwarded: {@code Connection} and every header it lists, {@code Keep-Alive}, {@code
 * Proxy-Connection}, {@code TE}, {@code Trailer}, {@code Transfer-Encoding} and {@code Upgrade}.
 *
 * <p>vertx-http-proxy removes the fixed names from proxied requests but neither {@code
 * Proxy-Connection} nor what {@code Connection} lists, and from responses only {@code
 * Transfer-Encoding}; the rest is removed here.
 */
final class HopByHop {

  static final Set<String> FIXED =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  /** For a WebSocket upgrade, whose {@code Upgrade} is the point of the request. */
  static final Set<String> KEEP_UPGRADE = Set.of("upgrade");

  private HopByHop() {}

  /** Removes the hop-by-hop headers from {@code headers}, except those named in {@code keep}. */
  static void strip(MultiMap headers, Set<String> keep) {
    List<String> names = new ArrayList<>(FIXED);
    for (String line : headers.getAll("connection")) {
      for (String token : line.split(",")) {
        String name = token.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    }
    for (String name : names) {
      if (!keep.contains(name)) {
        headers.remove(name);
      }
    }
  }
}
