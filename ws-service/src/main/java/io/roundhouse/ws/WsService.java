package io.roundhouse.ws;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.Announcement;
import io.roundhouse.runtime.Launcher;
import io.roundhouse.runtime.ScaledDeployment;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running ws-service on a cluster node: listeners, registry entry, published counts. */
public final class WsService implements Launcher.Running {

  private static final Logger LOG = LoggerFactory.getLogger(WsService.class);

  private final ClusterNode node;
  private final ScaledDeployment.Deployed deployed;
  private final Announcement announcement;
  private final ConnectionCounter counter;
  private final Readiness readiness;

  private WsService(
      ClusterNode node,
      ScaledDeployment.Deployed deployed,
      Announcement announcement,
      ConnectionCounter counter,
      Readiness readiness) {
    this.node = node;
    this.deployed = deployed;
    this.announcement = announcement;
    this.counter = counter;
    this.readiness = readiness;
  }

  public static Future<WsService> start(ClusterNode node, WsConfig config) {
    ConnectionCounter counter = new ConnectionCounter();
    Readiness readiness = new Readiness(() -> node.hazelcast().getLifecycleService().isRunning());
    return ScaledDeployment.deploy(
            node.vertx(),
            config.port(),
            config.instances(),
            port -> new WsHttpVerticle(config, port, node.nodeId(), counter, readiness))
        .compose(
            deployed -> {
              LOG.info(
                  "ws-service {} listening on {}:{} ({} event loops)",
                  node.nodeId(),
                  config.host(),
                  deployed.port(),
                  config.instances());
              return Announcement.announce(
                      node, ServiceInstance.WS, config.advertisedHost(), deployed.port(), counter)
                  .recover(
                      e ->
                          deployed
                              .undeploy(node.vertx())
                              .transform(ar -> Future.<Announcement>failedFuture(e)))
                  .map(
                      a -> {
                        readiness.registered();
                        return new WsService(node, deployed, a, counter, readiness);
                      });
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

  /** Reports not ready, deregisters so no new connections arrive, then closes the listeners. */
  @Override
  public Future<Void> stop() {
    readiness.stopping();
    return announcement.withdraw().eventually(() -> deployed.undeploy(node.vertx()));
  }
}
