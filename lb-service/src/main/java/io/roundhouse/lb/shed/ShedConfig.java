package io.roundhouse.lb.shed;

import io.roundhouse.config.Checks;
import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import java.time.Duration;

/**
 * How connections are moved and drained.
 *
 * @param rebalance whether balancers move long-lived connections off overloaded backends ({@code
 *     LB_REBALANCE})
 * @param tolerancePercent how far a backend's count may stray from its service's mean before
 *     connections move, in percent of the mean ({@code LB_REBALANCE_TOLERANCE})
 * @param movesPerSecond the most connections moved per second across the whole cluster, whatever
 *     the number of balancers ({@code LB_REBALANCE_RATE})
 * @param interval how often each balancer looks at the spread ({@code LB_REBALANCE_INTERVAL})
 * @param jitter a move waits a random delay up to this, so the moves of one look do not land at
 *     once ({@code LB_REBALANCE_JITTER})
 * @param tcpIdle a TCP connection is moved, or drained before the deadline, only once idle this
 *     long ({@code LB_SHED_TCP_IDLE}); an active stream is never cut, except at a drain's deadline
 */
public record ShedConfig(
    boolean rebalance,
    int tolerancePercent,
    int movesPerSecond,
    Duration interval,
    Duration jitter,
    Duration tcpIdle) {

  public static final boolean DEFAULT_REBALANCE = false;
  public static final int DEFAULT_TOLERANCE_PERCENT = 10;
  public static final int DEFAULT_MOVES_PER_SECOND = 20;
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_JITTER = Duration.ofSeconds(1);
  public static final Duration DEFAULT_TCP_IDLE = Duration.ofSeconds(10);

  public static final ShedConfig DEFAULT =
      new ShedConfig(
          DEFAULT_REBALANCE,
          DEFAULT_TOLERANCE_PERCENT,
          DEFAULT_MOVES_PER_SECOND,
          DEFAULT_INTERVAL,
          DEFAULT_JITTER,
          DEFAULT_TCP_IDLE);

  public ShedConfig {
    if (tolerancePercent < 1 || tolerancePercent > 100) {
      throw new ConfigException(
          "LB_REBALANCE_TOLERANCE must be 1-100 (percent), got " + tolerancePercent);
    }
    Checks.positive("LB_REBALANCE_RATE", movesPerSecond);
    Checks.positive("LB_REBALANCE_INTERVAL", interval);
    Checks.nonNegative("LB_REBALANCE_JITTER", jitter);
    Checks.nonNegative("LB_SHED_TCP_IDLE", tcpIdle);
  }

  /** Every setting this record reads, for changes at run time. */
  public static final java.util.List<String> KEYS =
      java.util.List.of(
          "LB_REBALANCE",
          "LB_REBALANCE_TOLERANCE",
          "LB_REBALANCE_RATE",
          "LB_REBALANCE_INTERVAL",
          "LB_REBALANCE_JITTER",
          "LB_SHED_TCP_IDLE");

  public static ShedConfig from(Settings s) {
    return from(s, DEFAULT);
  }

  /** As {@link #from(Settings)}, with {@code current}'s values where {@code s} has none. */
  public static ShedConfig from(Settings s, ShedConfig current) {
    return new ShedConfig(
        s.bool("LB_REBALANCE", current.rebalance()),
        s.integer("LB_REBALANCE_TOLERANCE", current.tolerancePercent(), 1, 100),
        s.integer("LB_REBALANCE_RATE", current.movesPerSecond(), 1, 100_000),
        s.duration("LB_REBALANCE_INTERVAL", current.interval()),
        s.duration("LB_REBALANCE_JITTER", current.jitter()),
        s.duration("LB_SHED_TCP_IDLE", current.tcpIdle()));
  }

  /** The tolerance as a fraction of the mean. */
  public double tolerance() {
    return tolerancePercent / 100.0;
  }
}
