package io.roundhouse.lb.health;

import java.time.Duration;

/**
 * A backend's standing with passive outlier detection (Envoy's model), immutable: failures of real
 * traffic in a row, and the current ejection if any. The n-th ejection in a row lasts n times the
 * base, capped; the multiplier drops by one for every base period the backend then stays in.
 *
 * @param consecutive failures of real traffic in a row since the last success or ejection
 * @param multiplier how many ejections in a row the last one was (0: never ejected)
 * @param ejectedAtNanos when the last ejection began, on the {@link System#nanoTime()} clock
 * @param ejectionNanos how long the last ejection lasts; 0 if never ejected
 * @param reason the last failure seen, or null
 */
public record OutlierState(
    int consecutive, int multiplier, long ejectedAtNanos, long ejectionNanos, String reason) {

  /** Never failed. */
  public static final OutlierState CLEAR = new OutlierState(0, 0, 0, 0, null);

  public boolean ejected(long nowNanos) {
    return ejectionNanos > 0 && nowNanos - ejectedAtNanos < ejectionNanos;
  }

  /** Time left of the current ejection; 0 when not ejected. */
  public long remainingNanos(long nowNanos) {
    return ejected(nowNanos) ? ejectionNanos - (nowNanos - ejectedAtNanos) : 0;
  }

  /** A success ends the run of failures; the multiplier decays with time, not with successes. */
  public OutlierState succeeded() {
    return consecutive == 0
        ? this
        : new OutlierState(0, multiplier, ejectedAtNanos, ejectionNanos, reason);
  }

  /** One more failure in a row. */
  public OutlierState failed(String why) {
    return new OutlierState(consecutive + 1, multiplier, ejectedAtNanos, ejectionNanos, why);
  }

  /** Ejected from {@code nowNanos}, for the base times the decayed multiplier plus one, capped. */
  public OutlierState eject(long nowNanos, Duration base, Duration max) {
    long cap = Math.max(1, (max.toNanos() + base.toNanos() - 1) / base.toNanos());
    int next = (int) Math.min(cap, decayedMultiplier(nowNanos, base) + 1L);
    long length = Math.min(base.toNanos() * next, max.toNanos());
    return new OutlierState(0, next, nowNanos, length, reason);
  }

  /** The multiplier less one for each whole base period since the last ejection ended. */
  int decayedMultiplier(long nowNanos, Duration base) {
    if (multiplier == 0) {
      return 0;
    }
    long sinceReturn = nowNanos - (ejectedAtNanos + ejectionNanos);
    if (sinceReturn <= 0) {
      return multiplier;
    }
    return (int) Math.max(0, multiplier - sinceReturn / base.toNanos());
  }
}
