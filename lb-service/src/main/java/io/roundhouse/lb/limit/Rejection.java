package io.roundhouse.lb.limit;

/** Why the balancer turned a client away itself: the {@code reason} tag of its counter. */
public enum Rejection {
  /** The frontend holds {@code LB_MAXCONN} connections. */
  FRONTEND_FULL(503, true),
  /** Every backend is at {@code LB_BACKEND_MAXCONN} and the service's queue is full. */
  QUEUE_FULL(503, false),
  /** The connection or request waited {@code LB_QUEUE_TIMEOUT} for a backend and got none. */
  QUEUE_TIMEOUT(503, false),
  /** The client's address holds {@code LB_CLIENT_MAXCONN} connections. */
  CLIENT_CONNECTIONS(429, true),
  /** The client's address came faster than {@code LB_CLIENT_RATE}. */
  CLIENT_RATE(429, false);

  private final int httpStatus;
  private final boolean closesConnection;

  Rejection(int httpStatus, boolean closesConnection) {
    this.httpStatus = httpStatus;
    this.closesConnection = closesConnection;
  }

  /** Whether the connection it came on must go too, to give its place back. */
  public boolean closesConnection() {
    return closesConnection;
  }

  /** What an HTTP client gets; a TCP client is closed. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The tag value: {@code queue_full}, ... */
  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
