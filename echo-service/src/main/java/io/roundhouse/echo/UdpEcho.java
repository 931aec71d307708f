package io.roundhouse.echo;

import io.micrometer.core.instrument.Meter;
import io.roundhouse.cluster.ClusterNode;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP echo of a node: one {@link UdpEchoVerticle} on the TCP echo's port number, and its
 * meters. With {@code ECHO_PORT=0} it takes the port the TCP listener got; should another process
 * hold that UDP port, it binds a free one of its own and logs it.
 */
final class UdpEcho {

  private static final Logger LOG = LoggerFactory.getLogger(UdpEcho.class);

  private final ClusterNode node;
  private final String deploymentId;
  private final int port;
  private final List<Meter> meters;

  private UdpEcho(ClusterNode node, String deploymentId, int port, List<Meter> meters) {
    this.node = node;
    this.deploymentId = deploymentId;
    this.port = port;
    this.meters = meters;
  }

  /**
   * @param tcpPort the TCP echo's port: the configured one, or with port 0 the one it bound
   */
  static Future<UdpEcho> start(
      ClusterNode node, EchoConfig config, int tcpPort, UdpCounters counters) {
    return deploy(node, config, tcpPort, counters)
        .recover(
            e -> {
              if (config.port() != 0) {
                return Future.failedFuture(e);
              }
              LOG.warn("UDP port {} is taken ({}); trying a free one", tcpPort, e.getMessage());
              return deploy(node, config, 0, counters);
            })
        .map(
            started -> {
              LOG.info(
                  "echo-service {} UDP echo on {}:{}",
                  node.nodeId(),
                  config.host(),
                  started.actualPort());
              List<Meter> meters = counters.register(node.metrics().registry());
              return new UdpEcho(node, started.deploymentId, started.actualPort(), meters);
            });
  }

  private record Started(String deploymentId, UdpEchoVerticle verticle) {
    int actualPort() {
      return verticle.actualPort();
    }
  }

  private static Future<Started> deploy(
      ClusterNode node, EchoConfig config, int port, UdpCounters counters) {
    UdpEchoVerticle verticle = new UdpEchoVerticle(config.host(), port, config.udp(), counters);
    return node.vertx().deployVerticle(verticle).map(id -> new Started(id, verticle));
  }

  int port() {
    return port;
  }

  /** Closes the socket and drops the meters. */
  Future<Void> stop() {
    return node.vertx().undeploy(deploymentId).onComplete(ar -> node.metrics().remove(meters));
  }
}
