package io.roundhouse.lb.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.net.RFC3986;
import java.util.List;
import java.util.Locale;

/**
 * The backends' paths the public port does not reach ({@code LB_PUBLIC_DENY}): a request whose path
 * starts with one of the prefixes is answered 404 by the balancer, and no backend sees it. 404
 * rather than 403: from outside, these paths do not exist, and a scanner learns nothing.
 *
 * <p>The path is compared as the backend's router would route it: normalised the way Vert.x Web
 * does ({@link RFC3986#normalizePath}: dot segments removed, {@code //} collapsed, percent-encoded
 * unreserved characters decoded, so {@code /./metrics} and {@code /%6Detrics} are {@code
 * /metrics}), and ignoring case, which can only deny more.
 */
final class PublicPaths {

  private final List<String> deniedPrefixes;
  private final EdgeRejections rejections;

  PublicPaths(List<String> deniedPrefixes, EdgeRejections rejections) {
    this.deniedPrefixes =
        deniedPrefixes.stream().map(prefix -> prefix.toLowerCase(Locale.ROOT)).toList();
    this.rejections = rejections;
  }

  boolean denied(String path) {
    if (deniedPrefixes.isEmpty() || path == null) {
      return false;
    }
    String normalized;
    try {
      normalized = RFC3986.normalizePath(path).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException badEscape) {
      // RequestTarget refuses such targets first; deny rather than guess if one gets here.
      return true;
    }
    for (String prefix : deniedPrefixes) {
      if (normalized.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Answers 404 and returns true when the request's path is denied; the connection stays open. */
  boolean refuse(HttpServerRequest request) {
    if (!denied(request.path())) {
      return false;
    }
    rejections.count(Rejection.PUBLIC_DENY);
    request
        .response()
        .setStatusCode(Rejection.PUBLIC_DENY.status())
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(Rejection.PUBLIC_DENY.body());
    return true;
  }
}
