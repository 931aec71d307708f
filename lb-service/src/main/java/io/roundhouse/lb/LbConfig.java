package io.roundhouse.lb;

import io.roundhouse.cluster.ClusterConfig;
import io.roundhouse.cluster.NodeIds;
import io.roundhouse.config.Checks;
import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import io.roundhouse.lb.balance.Strategies;
import io.roundhouse.lb.health.HealthConfig;
import io.roundhouse.lb.http.EdgeConfig;
import io.roundhouse.lb.limit.LimitsConfig;
import io.roundhouse.lb.shed.ShedConfig;
import io.roundhouse.lb.udp.UdpConfig;
import io.roundhouse.metrics.MetricsConfig;
import io.roundhouse.runtime.Launcher;
import java.time.Duration;

/**
 * lb-service settings, read once at start-up.
 *
 * @param nodeId this balancer's node id
 * @param host bind address of the public TCP and HTTP ports
 * @param tcpPort TCP frontend, spliced to echo-service
 * @param httpPort HTTP and WebSocket frontend, proxied to ws-service
 * @param adminHost bind address of the admin port (loopback unless configured)
 * @param adminPort admin API and health
 * @param instances frontend verticles (event loops) per port
 * @param strategy the balancing strategy
 * @param connectTimeout how long to wait for a backend to accept a connection
 * @param connectAttempts backends tried before giving a client up
 * @param tcpIdleTimeout idle TCP connections are closed after this; zero disables
 * @param httpIdleTimeout idle keep-alive HTTP connections, inbound and pooled, are closed after
 *     this
 * @param tunnelIdleTimeout idle WebSocket tunnels are closed after this; zero disables
 * @param backendTimeout how long a backend may take to answer a request (504 after)
 * @param poolSize pooled keep-alive connections per backend
 * @param shutdownGrace how long open connections may finish after SIGTERM before they are closed
 * @param limits connection caps, queues and client rates
 * @param edge what the public HTTP port allows a client: request and write timeouts, denied paths
 * @param metrics what the node measures beyond its connections
 * @param cluster how to join the cluster
 * @param health active checks, outlier detection and slow start of the backends
 * @param udp the UDP frontend: flows to echo-service
 * @param shed how connections are moved (rebalancing) and drained
 * @param adminToken the bearer token the admin API's changes (a drain, a setting) need from a
 *     client that is not on loopback ({@code LB_ADMIN_TOKEN}); empty: loopback clients only
 */
public record LbConfig(
    String nodeId,
    String host,
    int tcpPort,
    int httpPort,
    String adminHost,
    int adminPort,
    int instances,
    Strategies strategy,
    Duration connectTimeout,
    int connectAttempts,
    Duration tcpIdleTimeout,
    Duration httpIdleTimeout,
    Duration tunnelIdleTimeout,
    Duration backendTimeout,
    int poolSize,
    Duration shutdownGrace,
    LimitsConfig limits,
    EdgeConfig edge,
    MetricsConfig metrics,
    ClusterConfig cluster,
    HealthConfig health,
    UdpConfig udp,
    ShedConfig shed,
    String adminToken) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_TCP_PORT = 9000;
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final String DEFAULT_ADMIN_HOST = "127.0.0.1";
  public static final int DEFAULT_ADMIN_PORT = 8081;
  public static final Strategies DEFAULT_STRATEGY = Strategies.ROUND_ROBIN;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final int DEFAULT_CONNECT_ATTEMPTS = 3;
  public static final Duration DEFAULT_TCP_IDLE_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_HTTP_IDLE_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_TUNNEL_IDLE_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_BACKEND_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_POOL_SIZE = 64;

  public LbConfig {
    Checks.notBlank("NODE_ID", nodeId);
    Checks.notBlank("LB_HOST", host);
    Checks.port("LB_TCP_PORT", tcpPort);
    Checks.port("LB_HTTP_PORT", httpPort);
    Checks.notBlank("LB_ADMIN_HOST", adminHost);
    Checks.port("LB_ADMIN_PORT", adminPort);
    Checks.positive("LB_INSTANCES", instances);
    if (strategy == null) {
      throw new ConfigException("LB_STRATEGY must be set");
    }
    Checks.positive("LB_CONNECT_TIMEOUT", connectTimeout);
    Checks.positive("LB_CONNECT_ATTEMPTS", connectAttempts);
    Checks.nonNegative("LB_TCP_IDLE_TIMEOUT", tcpIdleTimeout);
    Checks.nonNegative("LB_HTTP_IDLE_TIMEOUT", httpIdleTimeout);
    Checks.nonNegative("LB_TUNNEL_IDLE_TIMEOUT", tunnelIdleTimeout);
    Checks.positive("LB_BACKEND_TIMEOUT", backendTimeout);
    Checks.positive("LB_POOL_SIZE", poolSize);
    Checks.nonNegative("SHUTDOWN_GRACE", shutdownGrace);
    if (limits == null) {
      throw new ConfigException("limits are required");
    }
    if (edge == null) {
      throw new ConfigException("edge settings are required");
    }
    if (metrics == null) {
      throw new ConfigException("metrics settings are required");
    }
    if (cluster == null) {
      throw new ConfigException("cluster settings are required");
    }
    if (health == null) {
      throw new ConfigException("health settings are required");
    }
    if (udp == null) {
      throw new ConfigException("UDP settings are required");
    }
    if (adminToken == null) {
      throw new ConfigException("LB_ADMIN_TOKEN must not be null (empty for none)");
    }
    if (shed == null) {
      throw new ConfigException("rebalancing and drain settings are required");
    }
  }

  public static LbConfig from(Settings s) {
    int tcpPort = s.port("LB_TCP_PORT", DEFAULT_TCP_PORT);
    return new LbConfig(
        NodeIds.from(s, "lb"),
        s.host("LB_HOST", DEFAULT_HOST),
        tcpPort,
        s.port("LB_HTTP_PORT", DEFAULT_HTTP_PORT),
        s.host("LB_ADMIN_HOST", DEFAULT_ADMIN_HOST),
        s.port("LB_ADMIN_PORT", DEFAULT_ADMIN_PORT),
        s.integer("LB_INSTANCES", Runtime.getRuntime().availableProcessors(), 1, 256),
        s.enumValue("LB_STRATEGY", Strategies.class, DEFAULT_STRATEGY),
        s.duration("LB_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT),
        s.integer("LB_CONNECT_ATTEMPTS", DEFAULT_CONNECT_ATTEMPTS, 1, 100),
        s.duration("LB_TCP_IDLE_TIMEOUT", DEFAULT_TCP_IDLE_TIMEOUT),
        s.duration("LB_HTTP_IDLE_TIMEOUT", DEFAULT_HTTP_IDLE_TIMEOUT),
        s.duration("LB_TUNNEL_IDLE_TIMEOUT", DEFAULT_TUNNEL_IDLE_TIMEOUT),
        s.duration("LB_BACKEND_TIMEOUT", DEFAULT_BACKEND_TIMEOUT),
        s.integer("LB_POOL_SIZE", DEFAULT_POOL_SIZE, 1, 10_000),
        s.duration("SHUTDOWN_GRACE", Launcher.DEFAULT_SHUTDOWN_GRACE),
        LimitsConfig.from(s),
        EdgeConfig.from(s),
        MetricsConfig.from(s),
        ClusterConfig.from(s),
        HealthConfig.from(s),
        UdpConfig.from(s, tcpPort),
        ShedConfig.from(s),
        s.string("LB_ADMIN_TOKEN", ""));
  }
}
