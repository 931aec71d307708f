package io.roundhouse.lb.health;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * One backend's health as this balancer judges it: the active checks' {@link HealthState} (written
 * by the checker alone), the passive {@link OutlierState} (written from every event loop, by
 * compare-and-set) and the counts behind the metrics. In rotation unless down or ejected.
 */
public final class BackendHealth {

  private final HealthConfig config;
  private volatile HealthState state;
  private final AtomicReference<OutlierState> outlier = new AtomicReference<>(OutlierState.CLEAR);
  private final AtomicLong passedChecks = new AtomicLong();
  private final AtomicLong failedChecks = new AtomicLong();
  private final AtomicLong ejections = new AtomicLong();

  /**
   * @param nowNanos the backend's registration; with checks off, slow start counts from it
   */
  public BackendHealth(HealthConfig config, long nowNanos) {
    this.config = config;
    this.state = initial(nowNanos);
  }

  private HealthState initial(long nowNanos) {
    return config.checks() ? HealthState.checking(nowNanos) : HealthState.unchecked(nowNanos);
  }

  public HealthState state() {
    return state;
  }

  public OutlierState outlier() {
    return outlier.get();
  }

  /** Whether new connections may go to it: not down by the checks and not ejected. */
  public boolean inRotation(long nowNanos) {
    return state.inRotation() && !outlier.get().ejected(nowNanos);
  }

  /** Its slow-start weight in [{@link SlowStart#MIN_WEIGHT}, 1]. */
  public double weight(long nowNanos) {
    return SlowStart.weight(config.slowStart(), state, nowNanos);
  }

  public long passedChecks() {
    return passedChecks.get();
  }

  public long failedChecks() {
    return failedChecks.get();
  }

  public long ejections() {
    return ejections.get();
  }

  /** The registry moved the backend to another address: what was known of the old one is void. */
  public void reset(long nowNanos) {
    state = initial(nowNanos);
    outlier.set(OutlierState.CLEAR);
  }

  /** An active check passed; called by the checker only (and tests). */
  public HealthState checkPassed(long nowNanos, long latencyNanos) {
    passedChecks.incrementAndGet();
    state = state.passed(nowNanos, latencyNanos, config.rise());
    return state;
  }

  /** An active check failed for {@code why}; called by the checker only (and tests). */
  public HealthState checkFailed(long nowNanos, String why, long latencyNanos) {
    failedChecks.incrementAndGet();
    state = state.failed(nowNanos, why, latencyNanos, config.fall());
    return state;
  }

  void trafficSucceeded() {
    if (outlier.get().consecutive() > 0) {
      outlier.updateAndGet(OutlierState::succeeded);
    }
  }

  /**
   * Counts a failure of real traffic; at the threshold, ejects the backend if {@code mayEject}
   * agrees. Failures of traffic sent before an ejection do not count while it lasts.
   *
   * @return the ejection this failure started, or null
   */
  OutlierState trafficFailed(String why, long nowNanos, BooleanSupplier mayEject) {
    while (true) {
      OutlierState current = outlier.get();
      if (current.ejected(nowNanos)) {
        return null;
      }
      OutlierState next = current.failed(why);
      boolean eject = next.consecutive() >= config.outlierConsecutive() && mayEject.getAsBoolean();
      if (eject) {
        next = next.eject(nowNanos, config.outlierEjection(), config.outlierMaxEjection());
      }
      if (outlier.compareAndSet(current, next)) {
        if (eject) {
          ejections.incrementAndGet();
          return next;
        }
        return null;
      }
    }
  }
}
