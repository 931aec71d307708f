package io.roundhouse.runtime;

import io.micrometer.core.instrument.Meter;
import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.stats.ConnectionCounter;
import io.roundhouse.stats.DatagramStats;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every backend service does around its listeners: deploy them, then (only once they are
 * bound) register in the cluster and publish counts; on stop, deregister first so balancers send
 * nothing new, then close the listeners.
 */
public final class BackendRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(BackendRuntime.class);

  private final ClusterNode node;
  private final ScaledDeployment.Deployed deployed;
  private final Announcement announcement;
  private final List<Meter> meters;

  private BackendRuntime(
      ClusterNode node,
      ScaledDeployment.Deployed deployed,
      Announcement announcement,
      List<Meter> meters) {
    this.node = node;
    this.deployed = deployed;
    this.announcement = announcement;
    this.meters = meters;
  }

  /**
   * @param service the registered service name
   * @param protocol the protocol its connections speak, for the connection metrics
   * @param host the bind address, for the log
   * @param advertisedHost the address registered for balancers
   * @param port the configured port, 0 for any
   * @param instances listener verticles sharing the port
   */
  public record Spec(
      String service,
      String protocol,
      String host,
      String advertisedHost,
      int port,
      int instances) {}

  public static Future<BackendRuntime> start(
      ClusterNode node,
      Spec spec,
      ConnectionCounter counter,
      IntFunction<? extends Listener> listeners) {
    return start(node, spec, counter, () -> null, listeners);
  }

  /**
   * As {@link #start(ClusterNode, Spec, ConnectionCounter, IntFunction)}, publishing {@code udp}'s
   * counts beside the connections.
   */
  public static Future<BackendRuntime> start(
      ClusterNode node,
      Spec spec,
      ConnectionCounter counter,
      Supplier<DatagramStats> udp,
      IntFunction<? extends Listener> listeners) {
    return ScaledDeployment.deploy(node.vertx(), spec.port(), spec.instances(), listeners)
        .compose(
            deployed -> {
              List<Meter> meters = node.metrics().connections(spec.protocol(), counter);
              LOG.info(
                  "{}-service {} listening on {}:{} ({} event loops)",
                  spec.service(),
                  node.nodeId(),
                  spec.host(),
                  deployed.port(),
                  spec.instances());
              return Announcement.announce(
                      node, spec.service(), spec.advertisedHost(), deployed.port(), counter, udp)
                  .recover(
                      e -> {
                        node.metrics().remove(meters);
                        return deployed
                            .undeploy(node.vertx())
                            .transform(ar -> Future.<Announcement>failedFuture(e));
                      })
                  .map(a -> new BackendRuntime(node, deployed, a, meters));
            });
  }

  public int port() {
    return deployed.port();
  }

  /** Deregisters first so no new connections arrive, then closes the listeners. */
  public Future<Void> stop() {
    return announcement
        .withdraw()
        .eventually(() -> deployed.undeploy(node.vertx()))
        .onComplete(ar -> node.metrics().remove(meters));
  }
}
