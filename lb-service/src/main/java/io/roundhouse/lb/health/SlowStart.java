package io.roundhouse.lb.health;

import java.time.Duration;

/**
 * A backend's share of new connections while it warms up: a weight that grows linearly from {@link
 * #MIN_WEIGHT} to 1 over the slow-start period, from the moment it came up (its first passed check,
 * or its return after {@code rise} passes). Strategies honour the weight.
 */
public final class SlowStart {

  /** The least share a backend in rotation gets, so that a new one is tried at all (as Envoy). */
  public static final double MIN_WEIGHT = 0.1;

  private SlowStart() {}

  /**
   * The weight of a backend in {@code state} at {@code nowNanos}: 1 with slow start off, {@link
   * #MIN_WEIGHT} before its first pass, then growing with the time it has been up.
   */
  public static double weight(Duration period, HealthState state, long nowNanos) {
    if (period.isZero()) {
      return 1.0;
    }
    if (state.status() != HealthState.Status.UP) {
      return MIN_WEIGHT;
    }
    double share = (double) (nowNanos - state.sinceNanos()) / period.toNanos();
    return Math.min(1.0, Math.max(MIN_WEIGHT, share));
  }
}
