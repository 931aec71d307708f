package io.roundhouse.lb.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import java.util.List;

/**
 * The request target and the Host header, which together name the resource (RFC 9112 section 3.2
 * and 3.3). A target is origin-form ({@code /path?query}), absolute-form ({@code http://...}) or
 * {@code *} for OPTIONS; authority-form is CONNECT's, which a reverse proxy does not serve.
 *
 * <p>Refused in a target: controls, space, DEL and non-ASCII octets, {@code #} (a fragment is never
 * sent), {@code "}, {@code <} and {@code >}, and a {@code %} not followed by two hex digits. The
 * other characters RFC 3986 leaves out ({@code [ ] { } | \ ^ `}) pass: browsers send them unencoded
 * in queries (the WHATWG URL standard's query set), as NGINX and HAProxy let them through.
 */
final class RequestTarget {

  private RequestTarget() {}

  /** Why the head's target or Host is refused, or null. */
  static Rejection check(HttpRequest head) {
    if (!validTarget(head.method(), head.uri())) {
      return Rejection.TARGET;
    }
    List<String> hosts = head.headers().getAll(HttpHeaderNames.HOST);
    if (hosts.size() > 1) {
      return Rejection.TARGET;
    }
    if (hosts.isEmpty()) {
      // Section 3.2: an HTTP/1.1 request without Host is refused.
      return HttpVersion.HTTP_1_1.equals(head.protocolVersion()) ? Rejection.TARGET : null;
    }
    String host = hosts.get(0);
    return host.isEmpty() || HostAndPort.parseAuthority(host, -1) != null ? null : Rejection.TARGET;
  }

  static boolean validTarget(HttpMethod method, String target) {
    if (target.equals("*")) {
      return HttpMethod.OPTIONS.equals(method);
    }
    if (target.startsWith("/")) {
      return validCharacters(target);
    }
    return (startsWithIgnoringCase(target, "http://") || startsWithIgnoringCase(target, "https://"))
        && validCharacters(target);
  }

  private static boolean startsWithIgnoringCase(String s, String prefix) {
    return s.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  private static boolean validCharacters(String target) {
    int length = target.length();
    for (int i = 0; i < length; i++) {
      char c = target.charAt(i);
      if (c == '%') {
        if (i + 2 >= length || !isHex(target.charAt(i + 1)) || !isHex(target.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (c <= 0x20 || c >= 0x7f || c == '#' || c == '"' || c == '<' || c == '>') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
