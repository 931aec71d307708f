package io.roundhouse.lb.limit;

import io.roundhouse.config.Checks;
import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The limits, read once. Zero turns a cap off.
 *
 * @param maxConnections connections per frontend (TCP, and HTTP) in this process; past it a TCP
 *     client is closed at once and an HTTP client gets 503 with {@code Retry-After}
 * @param backendMaxConnections connections (or in-flight requests) per backend; past it new ones
 *     wait in the service's queue; 0 = no cap and no queue
 * @param maxQueue waiters per service queue; past it 503 at once
 * @param queueTimeout how long a connection or request may wait for a free backend; then 503 or a
 *     TCP close
 * @param clientMaxConnections concurrent connections per client address; past it 429 or a close
 * @param clientRate new connections plus HTTP requests per second per client address (a token
 *     bucket); past it 429 or a close
 * @param clientBurst the bucket's size: how many may come at once
 * @param retryAfter what {@code Retry-After} says on a 503 or 429 the balancer gives itself
 */
public record LimitsConfig(
    int maxConnections,
    int backendMaxConnections,
    int maxQueue,
    Duration queueTimeout,
    int clientMaxConnections,
    int clientRate,
    int clientBurst,
    Duration retryAfter) {

  /** Descriptors kept back from the frontend cap: listeners, the cluster, jars, logs. */
  static final int RESERVED_FDS = 512;

  public static final int DEFAULT_BACKEND_MAX_CONNECTIONS = 0;
  public static final int DEFAULT_MAX_QUEUE = 1024;
  public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_CLIENT_MAX_CONNECTIONS = 0;
  public static final int DEFAULT_CLIENT_RATE = 0;
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  /** No limit at all but the frontend cap's default: for tests and embedding. */
  public static final LimitsConfig NONE =
      new LimitsConfig(
          0, 0, DEFAULT_MAX_QUEUE, DEFAULT_QUEUE_TIMEOUT, 0, 0, 0, DEFAULT_RETRY_AFTER);

  public LimitsConfig {
    nonNegative("LB_MAXCONN", maxConnections);
    nonNegative("LB_BACKEND_MAXCONN", backendMaxConnections);
    Checks.positive("LB_MAXQUEUE", maxQueue);
    Checks.positive("LB_QUEUE_TIMEOUT", queueTimeout);
    nonNegative("LB_CLIENT_MAXCONN", clientMaxConnections);
    nonNegative("LB_CLIENT_RATE", clientRate);
    nonNegative("LB_CLIENT_BURST", clientBurst);
    Checks.positive("LB_RETRY_AFTER", retryAfter);
    if (clientRate > 0 && clientBurst < 1) {
      throw new ConfigException("LB_CLIENT_BURST must be at least 1 when LB_CLIENT_RATE is set");
    }
  }

  private static void nonNegative(String name, int value) {
    if (value < 0) {
      throw new ConfigException(name + " must be 0 (off) or more, got " + value);
    }
  }

  /**
   * The default frontend cap: what the process's open-files limit leaves for proxied connections,
   * two descriptors each, after {@link #RESERVED_FDS}; 0 (off) where the limit cannot be read.
   */
  public static int defaultMaxConnections() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long fds = unix.getMaxFileDescriptorCount();
      return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (fds - RESERVED_FDS) / 2));
    }
    return 0;
  }

  public static LimitsConfig from(Settings s) {
    int rate = s.integer("LB_CLIENT_RATE", DEFAULT_CLIENT_RATE, 0, 1_000_000);
    return new LimitsConfig(
        s.integer("LB_MAXCONN", defaultMaxConnections(), 0, Integer.MAX_VALUE),
        s.integer("LB_BACKEND_MAXCONN", DEFAULT_BACKEND_MAX_CONNECTIONS, 0, 10_000_000),
        s.integer("LB_MAXQUEUE", DEFAULT_MAX_QUEUE, 1, 10_000_000),
        s.duration("LB_QUEUE_TIMEOUT", DEFAULT_QUEUE_TIMEOUT),
        s.integer("LB_CLIENT_MAXCONN", DEFAULT_CLIENT_MAX_CONNECTIONS, 0, 10_000_000),
        rate,
        s.integer("LB_CLIENT_BURST", Math.max(rate, 0), 0, 10_000_000),
        s.duration("LB_RETRY_AFTER", DEFAULT_RETRY_AFTER));
  }
}
