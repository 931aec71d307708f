package io.roundhouse.lb.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * Every check a request head must pass before Vert.x or a backend sees it, in order: version and
 * framing, target and Host, then the WebSocket upgrade headers. A refused head is answered and its
 * connection closed by {@link RequestGuard}.
 */
final class EdgeRules {

  private EdgeRules() {}

  /** Why {@code head} is refused, or null when it may go on. */
  static Rejection check(HttpRequest head) {
    Rejection rejection = RequestFraming.check(head);
    if (rejection == null) {
      rejection = RequestTarget.check(head);
    }
    if (rejection == null) {
      rejection = WebSocketUpgrades.check(head);
    }
    return rejection;
  }

  /**
   * Spells what a head may say as Vert.x and vertx-http-proxy read it, which is by exact value
   * where HTTP has case-insensitive lists: an accepted chunked coding becomes {@code chunked} (RFC
   * 9112 section 7), and a {@code close} (or, for HTTP/1.0, {@code keep-alive}) among other
   * connection options gets a {@code Connection} line of its own (section 9.6), so that {@code
   * Connection: close, X-Foo} does close. The other options stay listed, for {@link HopByHop}.
   */
  static void normalize(HttpRequest head) {
    HttpHeaders headers = head.headers();
    if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, RequestFraming.CHUNKED);
    }
    spellOut(headers, HttpHeaderValues.CLOSE.toString());
    if (HttpVersion.HTTP_1_0.equals(head.protocolVersion())) {
      spellOut(headers, HttpHeaderValues.KEEP_ALIVE.toString());
    }
  }

  private static void spellOut(HttpHeaders headers, String option) {
    List<String> lines = headers.getAll(HttpHeaderNames.CONNECTION);
    if (WebSocketUpgrades.hasToken(lines, option)
        && lines.stream().noneMatch(line -> line.trim().equalsIgnoreCase(option))) {
      headers.add(HttpHeaderNames.CONNECTION, option);
    }
  }
}
