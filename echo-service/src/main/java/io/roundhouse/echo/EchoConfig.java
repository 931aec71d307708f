package io.roundhouse.echo;

import io.roundhouse.cluster.ClusterConfig;
import io.roundhouse.cluster.NodeIds;
import io.roundhouse.config.Checks;
import io.roundhouse.config.Settings;
import io.roundhouse.metrics.MetricsConfig;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.Launcher;
import java.time.Duration;
import java.util.Objects;

/**
 * echo-service settings.
 *
 * @param nodeId this node's id
 * @param host the address the echo port binds to
 * @param advertisedHost the address registered for balancers to connect to
 * @param port the echo port, 0 to pick one
 * @param instances listener verticles (event loops) sharing the port
 * @param idleTimeout connections idle this long are closed; zero disables
 * @param adminHost the address the admin port (health, metrics) binds to
 * @param adminPort the admin port, 0 to pick one
 * @param shutdownGrace how long open connections may finish after SIGTERM before they are closed
 * @param udp the UDP echo on the same port number
 * @param metrics what the node measures beyond its connections
 * @param cluster how to join the cluster
 */
public record EchoConfig(
    String nodeId,
    String host,
    String advertisedHost,
    int port,
    int instances,
    Duration idleTimeout,
    String adminHost,
    int adminPort,
    Duration shutdownGrace,
    UdpEchoConfig udp,
    MetricsConfig metrics,
    ClusterConfig cluster) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7000;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
  public static final int DEFAULT_ADMIN_PORT = 7080;

  public EchoConfig {
    Checks.notBlank("NODE_ID", nodeId);
    Checks.notBlank("ECHO_HOST", host);
    Checks.notBlank("ECHO_ADVERTISED_HOST", advertisedHost);
    Checks.port("ECHO_PORT", port);
    Checks.positive("ECHO_INSTANCES", instances);
    Checks.nonNegative("ECHO_IDLE_TIMEOUT", idleTimeout);
    Checks.notBlank("ECHO_ADMIN_HOST", adminHost);
    Checks.port("ECHO_ADMIN_PORT", adminPort);
    Checks.nonNegative("SHUTDOWN_GRACE", shutdownGrace);
    Objects.requireNonNull(udp, "udp");
  }

  public static EchoConfig from(Settings s) {
    ClusterConfig cluster = ClusterConfig.from(s);
    String host = s.host("ECHO_HOST", DEFAULT_HOST);
    return new EchoConfig(
        NodeIds.from(s, ServiceInstance.ECHO),
        host,
        s.string("ECHO_ADVERTISED_HOST", cluster.advertisedHostFor(host)),
        s.port("ECHO_PORT", DEFAULT_PORT),
        s.integer("ECHO_INSTANCES", Runtime.getRuntime().availableProcessors(), 1, 256),
        s.duration("ECHO_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT),
        s.host("ECHO_ADMIN_HOST", host),
        s.port("ECHO_ADMIN_PORT", DEFAULT_ADMIN_PORT),
        s.duration("SHUTDOWN_GRACE", Launcher.DEFAULT_SHUTDOWN_GRACE),
        UdpEchoConfig.from(s),
        MetricsConfig.from(s),
        cluster);
  }
}
