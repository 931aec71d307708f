package io.roundhouse.lb.health;

import io.roundhouse.config.Checks;
import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import java.time.Duration;

/**
 * How the balancer judges its backends: active checks, passive outlier detection and slow start.
 * Read once at start-up, as one component of the balancer's settings.
 *
 * @param checks whether active checks run at all; off, every backend counts as up from its
 *     registration
 * @param interval time from the start of one check of a backend to the start of the next (longer
 *     when a check takes longer)
 * @param timeout a check that has not passed by then fails
 * @param rise consecutive passes that bring a down backend back into rotation
 * @param fall consecutive failures that take a backend out of rotation
 * @param tcpCheck how echo (TCP) backends are checked
 * @param httpPath the path checked on HTTP backends; 200 passes
 * @param outlierConsecutive consecutive failures on real traffic that eject a backend; 0 disables
 * @param outlierEjection the first ejection's length; the n-th in a row lasts n times as long
 * @param outlierMaxEjection the longest ejection
 * @param slowStart how long a backend's share of new connections takes to grow to its full share
 *     after its first passed check; zero disables
 */
public record HealthConfig(
    boolean checks,
    Duration interval,
    Duration timeout,
    int rise,
    int fall,
    TcpCheck tcpCheck,
    String httpPath,
    int outlierConsecutive,
    Duration outlierEjection,
    Duration outlierMaxEjection,
    Duration slowStart) {

  /** How an echo (TCP) backend is checked. */
  public enum TcpCheck {
    /**
     * Connect, send a short line and expect it back. A stopped process's kernel still completes TCP
     * handshakes from its listen backlog, so only an answer proves the process runs.
     */
    ECHO,
    /** Connect only, as a plain L4 check does: catches dead listeners, not frozen processes. */
    CONNECT
  }

  public static final boolean DEFAULT_CHECKS = true;
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
  public static final int DEFAULT_RISE = 2;
  public static final int DEFAULT_FALL = 2;
  public static final TcpCheck DEFAULT_TCP_CHECK = TcpCheck.ECHO;
  public static final String DEFAULT_HTTP_PATH = "/health/ready";
  public static final int DEFAULT_OUTLIER_CONSECUTIVE = 5;
  public static final Duration DEFAULT_OUTLIER_EJECTION = Duration.ofSeconds(5);
  public static final Duration DEFAULT_OUTLIER_MAX_EJECTION = Duration.ofSeconds(60);
  public static final Duration DEFAULT_SLOW_START = Duration.ZERO;

  public static final HealthConfig DEFAULT = from(Settings.of(java.util.Map.of()));

  public HealthConfig {
    Checks.positive("LB_HEALTH_INTERVAL", interval);
    Checks.positive("LB_HEALTH_TIMEOUT", timeout);
    Checks.positive("LB_HEALTH_RISE", rise);
    Checks.positive("LB_HEALTH_FALL", fall);
    if (tcpCheck == null) {
      throw new ConfigException("LB_HEALTH_TCP_CHECK must be set");
    }
    Checks.notBlank("LB_HEALTH_PATH", httpPath);
    if (!httpPath.startsWith("/")) {
      throw new ConfigException("LB_HEALTH_PATH must start with /, got " + httpPath);
    }
    if (outlierConsecutive < 0) {
      throw new ConfigException(
          "LB_OUTLIER_CONSECUTIVE must be 0 (off) or more, got " + outlierConsecutive);
    }
    Checks.positive("LB_OUTLIER_EJECTION", outlierEjection);
    Checks.positive("LB_OUTLIER_MAX_EJECTION", outlierMaxEjection);
    if (outlierMaxEjection.compareTo(outlierEjection) < 0) {
      throw new ConfigException(
          "LB_OUTLIER_MAX_EJECTION must not be shorter than LB_OUTLIER_EJECTION");
    }
    Checks.nonNegative("LB_SLOW_START", slowStart);
  }

  public static HealthConfig from(Settings s) {
    return new HealthConfig(
        s.bool("LB_HEALTH_CHECKS", DEFAULT_CHECKS),
        s.duration("LB_HEALTH_INTERVAL", DEFAULT_INTERVAL),
        s.duration("LB_HEALTH_TIMEOUT", DEFAULT_TIMEOUT),
        s.integer("LB_HEALTH_RISE", DEFAULT_RISE, 1, 100),
        s.integer("LB_HEALTH_FALL", DEFAULT_FALL, 1, 100),
        s.enumValue("LB_HEALTH_TCP_CHECK", TcpCheck.class, DEFAULT_TCP_CHECK),
        s.string("LB_HEALTH_PATH", DEFAULT_HTTP_PATH),
        s.integer("LB_OUTLIER_CONSECUTIVE", DEFAULT_OUTLIER_CONSECUTIVE, 0, 10_000),
        s.duration("LB_OUTLIER_EJECTION", DEFAULT_OUTLIER_EJECTION),
        s.duration("LB_OUTLIER_MAX_EJECTION", DEFAULT_OUTLIER_MAX_EJECTION),
        s.duration("LB_SLOW_START", DEFAULT_SLOW_START));
  }
}
