package io.roundhouse.load;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * What a simulation is asked to do, read once from system properties ({@code -Dusers=50}) and
 * checked here, so that a typo fails before any traffic is sent.
 *
 * <p>Durations are given in seconds and may have a fraction ({@code -Dinterval=0.25}).
 *
 * @param users virtual users, each with one connection (WebSocket, TCP) or one keep-alive client
 * @param ramp users start evenly spread over this time
 * @param hold how long each user keeps its connection open and sends messages
 * @param interval time between two messages (or requests) of one user
 * @param messages TCP echo round trips per connection
 * @param size bytes per TCP or WebSocket message, or per UDP datagram
 * @param timeout how long a connect or an echo may take before it counts as failed
 * @param host where the cluster listens
 * @param lbHttpPort the balancer's HTTP and WebSocket port
 * @param lbTcpPort the balancer's TCP port
 * @param lbUdpPort the balancer's UDP port (by default the TCP port's number, as the balancer's)
 * @param adminPort the balancer's admin API port
 * @param wsPort the one ws-service node that the pile-up simulation connects to directly
 * @param tolerance how far (relative) a node's share may be from its fair share
 */
public record LoadConfig(
    int users,
    Duration ramp,
    Duration hold,
    Duration interval,
    int messages,
    int size,
    Duration timeout,
    String host,
    int lbHttpPort,
    int lbTcpPort,
    int lbUdpPort,
    int adminPort,
    int wsPort,
    double tolerance) {

  public static final int MAX_USERS = 100_000;
  public static final int MAX_SIZE = 1 << 20;
  public static final Duration MAX_DURATION = Duration.ofHours(1);

  /** The defaults suit a laptop running {@code ./run-local.sh}. */
  public static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry("users", "30"),
          Map.entry("ramp", "5"),
          Map.entry("hold", "10"),
          Map.entry("interval", "1"),
          Map.entry("size", "64"),
          Map.entry("timeout", "5"),
          Map.entry("host", "127.0.0.1"),
          Map.entry("lbHttpPort", "8080"),
          Map.entry("lbTcpPort", "9000"),
          Map.entry("adminPort", "8081"),
          Map.entry("wsPort", "7201"),
          Map.entry("tolerance", "0.10"));

  public LoadConfig {
    between("users", users, 1, MAX_USERS);
    duration("ramp", ramp, false);
    duration("hold", hold, false);
    duration("interval", interval, true);
    between("messages", messages, 1, 1_000_000);
    between("size", size, 1, MAX_SIZE);
    duration("timeout", timeout, true);
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    between("lbHttpPort", lbHttpPort, 1, 65_535);
    between("lbTcpPort", lbTcpPort, 1, 65_535);
    between("lbUdpPort", lbUdpPort, 1, 65_535);
    between("adminPort", adminPort, 1, 65_535);
    between("wsPort", wsPort, 1, 65_535);
    if (!(tolerance >= 0 && tolerance < 1)) {
      throw new IllegalArgumentException("tolerance must be in [0, 1), got " + tolerance);
    }
  }

  /** From {@link System#getProperties()}. */
  public static LoadConfig fromSystemProperties() {
    return from(System.getProperties());
  }

  /**
   * From properties; any key not given takes its {@link #DEFAULTS default}. {@code messages}
   * defaults to as many as fit in {@code hold} at one per {@code interval} (at least one).
   */
  public static LoadConfig from(Properties p) {
    Duration hold = seconds(p, "hold");
    Duration interval = seconds(p, "interval");
    long fit =
        interval.isZero() ? 1 : Math.max(1, hold.toMillis() / Math.max(1, interval.toMillis()));
    return new LoadConfig(
        integer(p, "users", null),
        seconds(p, "ramp"),
        hold,
        interval,
        integer(p, "messages", (int) Math.min(fit, 1_000_000)),
        integer(p, "size", null),
        seconds(p, "timeout"),
        string(p, "host").trim(),
        integer(p, "lbHttpPort", null),
        integer(p, "lbTcpPort", null),
        integer(p, "lbUdpPort", integer(p, "lbTcpPort", null)),
        integer(p, "adminPort", null),
        integer(p, "wsPort", null),
        decimal(p, "tolerance"));
  }

  /** The longest a run of this configuration may take before Gatling stops it. */
  public Duration maxDuration() {
    return ramp.plus(hold).plus(timeout.multipliedBy(4)).plusSeconds(30);
  }

  public String lbHttpUrl() {
    return "http://" + hostForUrl() + ":" + lbHttpPort;
  }

  public String lbWsUrl() {
    return "ws://" + hostForUrl() + ":" + lbHttpPort;
  }

  public String directWsUrl() {
    return "ws://" + hostForUrl() + ":" + wsPort;
  }

  public String adminUrl() {
    return "http://" + hostForUrl() + ":" + adminPort;
  }

  private String hostForUrl() {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static String string(Properties p, String key) {
    String value = p.getProperty(key);
    return value == null || value.isBlank() ? DEFAULTS.get(key) : value.trim();
  }

  private static int integer(Properties p, String key, Integer fallback) {
    String value = p.getProperty(key);
    if ((value == null || value.isBlank()) && fallback != null) {
      return fallback;
    }
    String text = string(p, key);
    try {
      return Integer.parseInt(text.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + text + "'", e);
    }
  }

  private static double decimal(Properties p, String key) {
    String text = string(p, key);
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + text + "'", e);
    }
  }

  private static Duration seconds(Properties p, String key) {
    String text = string(p, key);
    double value;
    try {
      value = Double.parseDouble(text.endsWith("s") ? text.substring(0, text.length() - 1) : text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + " must be a number of seconds, got '" + text + "'", e);
    }
    if (!Double.isFinite(value) || value < 0 || value > MAX_DURATION.toSeconds()) {
      throw new IllegalArgumentException(
          key + " must be between 0 and " + MAX_DURATION.toSeconds() + " seconds, got " + text);
    }
    return Duration.ofNanos(Math.round(value * 1_000_000_000d));
  }

  private static void between(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          key + " must be between " + min + " and " + max + ", got " + value);
    }
  }

  private static void duration(String key, Duration value, boolean positive) {
    if (value == null) {
      throw new IllegalArgumentException(key + " is required");
    }
    if (value.isNegative() || (positive && value.isZero()) || value.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          key
              + " must be "
              + (positive ? "more than 0" : "at least 0")
              + " and at most "
              + MAX_DURATION.toSeconds()
              + " s, got "
              + value.toMillis() / 1000.0
              + " s");
    }
  }
}
