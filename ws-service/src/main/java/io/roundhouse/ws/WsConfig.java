package io.roundhouse.ws;

import io.roundhouse.cluster.ClusterConfig;
import io.roundhouse.cluster.NodeIds;
import io.roundhouse.config.Checks;
import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import io.roundhouse.metrics.MetricsConfig;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.Launcher;
import java.time.Duration;

/**
 * ws-service settings.
 *
 * @param nodeId this node's id
 * @param host the address the HTTP/WebSocket port binds to
 * @param advertisedHost the address registered for balancers to connect to
 * @param port the HTTP/WebSocket port, 0 to pick one
 * @param instances listener verticles (event loops) sharing the port
 * @param idleTimeout connections idle this long are closed; zero disables
 * @param maxFrameSize the largest WebSocket frame accepted, in bytes
 * @param maxMessageSize the largest WebSocket message (all its frames) accepted, in bytes
 * @param shutdownGrace how long open connections may finish after SIGTERM before they are closed
 * @param metrics what the node measures beyond its connections
 * @param cluster how to join the cluster
 */
public record WsConfig(
    String nodeId,
    String host,
    String advertisedHost,
    int port,
    int instances,
    Duration idleTimeout,
    int maxFrameSize,
    int maxMessageSize,
    Duration shutdownGrace,
    MetricsConfig metrics,
    ClusterConfig cluster) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8000;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
  public static final int DEFAULT_MAX_FRAME_SIZE = 65_536;
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;

  /** Upper bound for both sizes; a room member may buffer twice the message size. */
  public static final int MAX_SIZE = 1 << 28;

  public WsConfig {
    Checks.notBlank("NODE_ID", nodeId);
    Checks.notBlank("WS_HOST", host);
    Checks.notBlank("WS_ADVERTISED_HOST", advertisedHost);
    Checks.port("WS_PORT", port);
    Checks.positive("WS_INSTANCES", instances);
    Checks.nonNegative("WS_IDLE_TIMEOUT", idleTimeout);
    Checks.nonNegative("SHUTDOWN_GRACE", shutdownGrace);
    Checks.positive("WS_MAX_FRAME_SIZE", maxFrameSize);
    Checks.positive("WS_MAX_MESSAGE_SIZE", maxMessageSize);
    if (maxMessageSize > MAX_SIZE) {
      throw new ConfigException("WS_MAX_MESSAGE_SIZE must be at most " + MAX_SIZE);
    }
    if (maxFrameSize > maxMessageSize) {
      throw new ConfigException(
          "WS_MAX_FRAME_SIZE ("
              + maxFrameSize
              + ") must not exceed WS_MAX_MESSAGE_SIZE ("
              + maxMessageSize
              + ")");
    }
    if (metrics == null) {
      throw new ConfigException("metrics settings are required");
    }
    if (cluster == null) {
      throw new ConfigException("cluster settings are required");
    }
  }

  public static WsConfig from(Settings s) {
    ClusterConfig cluster = ClusterConfig.from(s);
    String host = s.host("WS_HOST", DEFAULT_HOST);
    return new WsConfig(
        NodeIds.from(s, ServiceInstance.WS),
        host,
        s.string("WS_ADVERTISED_HOST", cluster.advertisedHostFor(host)),
        s.port("WS_PORT", DEFAULT_PORT),
        s.integer("WS_INSTANCES", Runtime.getRuntime().availableProcessors(), 1, 256),
        s.duration("WS_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT),
        s.integer("WS_MAX_FRAME_SIZE", DEFAULT_MAX_FRAME_SIZE, 1, MAX_SIZE),
        s.integer("WS_MAX_MESSAGE_SIZE", DEFAULT_MAX_MESSAGE_SIZE, 1, MAX_SIZE),
        s.duration("SHUTDOWN_GRACE", Launcher.DEFAULT_SHUTDOWN_GRACE),
        MetricsConfig.from(s),
        cluster);
  }
}
