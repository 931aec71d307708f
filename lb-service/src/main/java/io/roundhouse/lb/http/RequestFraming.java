package io.roundhouse.lb.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The version and the body length of a request head (RFC 9112 sections 2.3, 6.1 and 6.3): whatever
 * two parsers could frame differently is refused, never guessed at, since the connection it came on
 * is then closed.
 *
 * <p>Netty's decoder already refuses several or invalid {@code Content-Length} values; {@link
 * StrictRequestDecoder} keeps a {@code Content-Length} beside {@code Transfer-Encoding} so that it
 * is seen here.
 */
final class RequestFraming {

  static final String CHUNKED = "chunked";

  private RequestFraming() {}

  /** Why the head is refused, or null. */
  static Rejection check(HttpRequest head) {
    HttpVersion version = head.protocolVersion();
    if (!"HTTP".equals(version.protocolName())) {
      return Rejection.MALFORMED;
    }
    if (version.majorVersion() != 1 || version.minorVersion() > 1) {
      return Rejection.VERSION;
    }
    return checkLength(head.headers(), version);
  }

  private static Rejection checkLength(HttpHeaders headers, HttpVersion version) {
    if (!headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      return null;
    }
    // Section 6.1: with HTTP/1.0 the framing is faulty; section 6.3: a length beside is smuggling.
    if (version.minorVersion() == 0 || headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      return Rejection.FRAMING;
    }
    List<String> codings = codings(headers.getAll(HttpHeaderNames.TRANSFER_ENCODING));
    if (codings.isEmpty() || !codings.get(codings.size() - 1).equals(CHUNKED)) {
      return Rejection.FRAMING;
    }
    if (codings.indexOf(CHUNKED) != codings.size() - 1) {
      // Chunked twice: section 7 forbids it, and two parsers may stop at different ends.
      return Rejection.FRAMING;
    }
    return codings.size() > 1 ? Rejection.TRANSFER_CODING : null;
  }

  /** The codings of every Transfer-Encoding line in order, lower case, empty elements dropped. */
  static List<String> codings(List<String> values) {
    List<String> codings = new ArrayList<>();
    for (String value : values) {
      for (String element : value.split(",", -1)) {
        String coding = element.trim().toLowerCase(Locale.ROOT);
        if (!coding.isEmpty()) {
          codings.add(coding);
        }
      }
    }
    return codings;
  }
}
