package io.roundhouse.lb.conn;

import java.util.Locale;

/** What a live connection carries; an HTTP connection becomes a WebSocket tunnel on upgrade. */
public enum Kind {
  TCP,
  HTTP,
  WEBSOCKET,
  UDP;

  /** The name in the API: lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind named {@code label}, or an {@link IllegalArgumentException} that lists the names. */
  public static Kind of(String label) {
    for (Kind kind : values()) {
      if (kind.label().equals(label)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "protocol must be one of tcp, http, websocket, udp, not '" + label + "'");
  }
}
