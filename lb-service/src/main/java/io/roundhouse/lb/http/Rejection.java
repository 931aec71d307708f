package io.roundhouse.lb.http;

/**
 * Why the balancer refused a client's request itself, and the status it answers with: the one
 * mapping of client-side refusals (a backend's failures are {@link GatewayErrors}). The reason is
 * the {@code reason} tag of {@code roundhouse_edge_rejections_total}.
 */
enum Rejection {
  /** The request line and headers did not arrive within {@code LB_HEADER_TIMEOUT}. */
  HEADER_TIMEOUT("header_timeout", 408, "Request Timeout", "the request headers took too long"),
  /** The whole request did not arrive within {@code LB_REQUEST_TIMEOUT}. */
  REQUEST_TIMEOUT("request_timeout", 408, "Request Timeout", "the request took too long"),
  /** The client left data unread for {@code LB_CLIENT_WRITE_TIMEOUT}: closed, nothing to answer. */
  CLIENT_WRITE_TIMEOUT("client_write_timeout", 0, "", ""),
  /** The decoder refused the request line or headers (Vert.x answers 400, 414 or 431). */
  MALFORMED("malformed", 400, "Bad Request", "the request is not valid HTTP/1.1"),
  /**
   * The body's length is ambiguous (RFC 9112 section 6.3): a smuggling attempt or a broken peer.
   */
  FRAMING("framing", 400, "Bad Request", "the request's length is ambiguous"),
  /** A transfer coding before {@code chunked} that the balancer does not implement. */
  TRANSFER_CODING("transfer_coding", 501, "Not Implemented", "unsupported transfer coding"),
  /** Neither HTTP/1.0 nor HTTP/1.1. */
  VERSION("version", 505, "HTTP Version Not Supported", "only HTTP/1.0 and HTTP/1.1 are served"),
  /** The request target or the Host header is not a valid URI part. */
  TARGET("target", 400, "Bad Request", "invalid request target or Host header"),
  /** A WebSocket upgrade without a required header, or not a GET. */
  UPGRADE("upgrade", 400, "Bad Request", "invalid WebSocket upgrade request"),
  /** A WebSocket upgrade for a protocol version other than 13. */
  UPGRADE_VERSION("upgrade_version", 426, "Upgrade Required", "WebSocket version 13 is required"),
  /** A path of {@code LB_PUBLIC_DENY}: not reachable through the public port. */
  PUBLIC_DENY("public_deny", 404, "Not Found", "not found");

  private final String reason;
  private final int status;
  private final String phrase;
  private final String detail;

  Rejection(String reason, int status, String phrase, String detail) {
    this.reason = reason;
    this.status = status;
    this.phrase = phrase;
    this.detail = detail;
  }

  String reason() {
    return reason;
  }

  /** The status answered; 0 when the connection is only closed. */
  int status() {
    return status;
  }

  String phrase() {
    return phrase;
  }

  /** The short text body of the answer. */
  String body() {
    return status + " " + phrase + ": " + detail + "\n";
  }
}
