package io.roundhouse.lb.admin;

import io.roundhouse.lb.backend.Backend;
import io.roundhouse.lb.health.BackendHealth;
import io.roundhouse.lb.health.HealthState;
import io.roundhouse.lb.health.OutlierState;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A backend's health as the dashboard shows it, the gravest first. */
enum Health {
  /** The active checks failed {@code fall} times in a row: out of rotation. */
  DOWN("down"),
  /** Outlier detection took it out for a while after failures of real traffic. */
  EJECTED("ejected"),
  /**
   * Out of rotation while its connections are closed spread over the drain (its SIGTERM, or the
   * admin API); the panel counts what it still holds.
   */
  DRAINING("draining"),
  /** No report from the node for longer than {@link #SILENT_AFTER}: hung, or dying. */
  SILENT("silent"),
  /** In rotation, but no check has passed yet. */
  CHECKING("checking"),
  /** In rotation and passing its checks. */
  UP("up");

  /** Nodes publish every 500 ms; six missed reports in a row make a node silent. */
  static final Duration SILENT_AFTER = Duration.ofSeconds(3);

  private final String label;

  Health(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /** What the balancer acts on (down, ejected) outranks what it only observes (silence). */
  static Health of(Backend backend, long nowNanos) {
    BackendHealth health = backend.health();
    HealthState.Status status = health.state().status();
    if (status == HealthState.Status.DOWN) {
      return DOWN;
    }
    if (health.outlier().ejected(nowNanos)) {
      return EJECTED;
    }
    if (backend.draining()) {
      return DRAINING;
    }
    if (nowNanos - backend.lastHeardAt() > SILENT_AFTER.toNanos()) {
      return SILENT;
    }
    return status == HealthState.Status.CHECKING ? CHECKING : UP;
  }

  /** Why, in a few words: the checks' reason, the ejection's cause and time left, the silence. */
  String reason(Backend backend, long nowNanos) {
    return switch (this) {
      case EJECTED -> {
        OutlierState outlier = backend.health().outlier();
        long seconds =
            Math.max(
                1, TimeUnit.NANOSECONDS.toSeconds(outlier.remainingNanos(nowNanos) + 999_999_999));
        yield outlier.reason() + ", back in " + seconds + " s";
      }
      case SILENT -> "no report for over " + SILENT_AFTER.toSeconds() + " s";
      case DRAINING -> {
        long left = Math.max(0, backend.drainingUntil() - System.currentTimeMillis());
        yield backend.activeConnections()
            + " connections left to drain, "
            + TimeUnit.MILLISECONDS.toSeconds(left + 999)
            + " s to go";
      }
      default -> backend.health().state().reason();
    };
  }
}
