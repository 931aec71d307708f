package io.roundhouse.lb.admin;

import io.roundhouse.lb.backend.Backend;
import java.time.Duration;

/** A backend's health as the dashboard shows it. */
enum Health {
  /** Accepting connections and reporting its own counts. */
  UP("up"),
  /** Its last dial failed (refused, timed out); the balancer routes around it. */
  REFUSED("refused"),
  /** No report from the node for longer than {@link #SILENT_AFTER}: hung, or dying. */
  SILENT("silent");

  /** Nodes publish every 500 ms; six missed reports in a row make a node silent. */
  static final Duration SILENT_AFTER = Duration.ofSeconds(3);

  private final String label;

  Health(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /** A refusal outranks silence: it is what the balancer acts on. */
  static Health of(Backend backend, long nowNanos) {
    if (!backend.healthy()) {
      return REFUSED;
    }
    if (nowNanos - backend.lastHeardAt() > SILENT_AFTER.toNanos()) {
      return SILENT;
    }
    return UP;
  }
}
