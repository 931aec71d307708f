package io.roundhouse.lb.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Base64;
import java.util.List;

/**
 * Which requests are WebSocket upgrades, and whether one is complete (RFC 6455 section 4.2.1): a
 * GET over HTTP/1.1 with {@code Connection: Upgrade}, a {@code Sec-WebSocket-Key} of 16 bytes in
 * base64 and {@code Sec-WebSocket-Version: 13}. The balancer answers an incomplete one itself
 * rather than tunnel what no backend can accept.
 */
final class WebSocketUpgrades {

  static final String VERSION = "13";

  private WebSocketUpgrades() {}

  /**
   * Whether a request asks for a WebSocket: its {@code Upgrade} lists {@code websocket}. HTTP/1.0
   * has no upgrade (RFC 9110 section 7.8: the header is ignored there).
   */
  static boolean requested(boolean http11, String upgrade) {
    return http11 && upgrade != null && hasToken(List.of(upgrade), "websocket");
  }

  /** Why an upgrade request is refused, or null (also for a request that is no upgrade). */
  static Rejection check(HttpRequest head) {
    HttpHeaders headers = head.headers();
    boolean http11 = HttpVersion.HTTP_1_1.equals(head.protocolVersion());
    if (!requested(http11, String.join(",", headers.getAll(HttpHeaderNames.UPGRADE)))) {
      return null;
    }
    if (!HttpMethod.GET.equals(head.method())
        || !hasToken(headers.getAll(HttpHeaderNames.CONNECTION), "upgrade")
        || !validKey(headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY))) {
      return Rejection.UPGRADE;
    }
    List<String> versions = headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
    if (versions.isEmpty()) {
      return Rejection.UPGRADE;
    }
    return versions.size() == 1 && versions.get(0).trim().equals(VERSION)
        ? null
        : Rejection.UPGRADE_VERSION;
  }

  private static boolean validKey(List<String> keys) {
    if (keys.size() != 1) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(keys.get(0).trim()).length == 16;
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }

  /** Whether a comma-separated header, over all its lines, lists {@code token} (any case). */
  static boolean hasToken(List<String> lines, String token) {
    for (String line : lines) {
      for (String element : line.split(",")) {
        if (element.trim().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }
}
