package io.roundhouse.echo;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.Announcement;
import io.roundhouse.runtime.Launcher;
import io.roundhouse.runtime.ScaledDeployment;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running echo-service on a cluster node: listeners, registry entry, published counts. */
public final class EchoService implements Launcher.Running {

  private static final Logger LOG = LoggerFactory.getLogger(EchoService.class);

  private final ClusterNode node;
  private final ScaledDeployment.Deployed deployed;
  private final Announcement announcement;
  private final ConnectionCounter counter;

  private EchoService(
      ClusterNode node,
      ScaledDeployment.Deployed deployed,
      Announcement announcement,
      ConnectionCounter counter) {
    this.node = node;
    this.deployed = deployed;
    this.announcement = announcement;
    this.counter = counter;
  }

  public static Future<EchoService> start(ClusterNode node, EchoConfig config) {
    ConnectionCounter counter = new ConnectionCounter();
    return ScaledDeployment.deploy(
            node.vertx(),
            config.port(),
            config.instances(),
            port -> new EchoVerticle(config, port, counter))
        .compose(
            deployed -> {
              LOG.info(
                  "echo-service {} listening on {}:{} ({} event loops)",
                  node.nodeId(),
                  config.host(),
                  deployed.port(),
                  config.instances());
              return Announcement.announce(
                      node, ServiceInstance.ECHO, config.advertisedHost(), deployed.port(), counter)
                  .map(a -> new EchoService(node, deployed, a, counter));
            });
  }

  public int port() {
    return deployed.port();
  }

  public ConnectionCounter counter() {
    return counter;
  }

  @Override
  public ClusterNode node() {
    return node;
  }

  /** Deregisters first so no new connections arrive, then closes the listeners. */
  @Override
  public Future<Void> stop() {
    return announcement.withdraw().eventually(() -> deployed.undeploy(node.vertx()));
  }
}
