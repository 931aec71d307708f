package io.roundhouse.lb.conn;

/**
 * Why the balancer ends a connection on purpose, and what a WebSocket client is told: a close frame
 * with this code and reason, sent at a frame boundary.
 */
public enum ShedReason {
  /** Moved to a lighter backend: 1012, service restart; the client should reconnect. */
  REBALANCE(1012, "rebalancing"),
  /** Its backend, or this balancer, is draining: 1001, going away. */
  DRAIN(1001, "going away");

  private final int closeCode;
  private final String closeReason;

  ShedReason(int closeCode, String closeReason) {
    this.closeCode = closeCode;
    this.closeReason = closeReason;
  }

  /** The WebSocket close code (RFC 6455 section 7.4). */
  public int closeCode() {
    return closeCode;
  }

  /** The close frame's reason text, UTF-8, well under 123 bytes. */
  public String closeReason() {
    return closeReason;
  }
}
