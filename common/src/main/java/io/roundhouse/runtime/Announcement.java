package io.roundhouse.runtime;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.registry.HazelcastServiceRegistry;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.registry.ServiceRegistry;
import io.roundhouse.stats.ConnectionCounter;
import io.roundhouse.stats.DatagramStats;
import io.roundhouse.stats.StatsPublisher;
import io.vertx.core.Future;
import java.util.function.Supplier;

/** A backend's presence in the cluster: its registry entry and its published counts. */
public final class Announcement {

  private final ServiceRegistry.Presence presence;
  private final StatsPublisher publisher;

  private Announcement(ServiceRegistry.Presence presence, StatsPublisher publisher) {
    this.presence = presence;
    this.publisher = publisher;
  }

  /**
   * Registers the instance (now ready to serve), keeps it registered whatever the cluster does to
   * the entry (see {@link ServiceRegistry#announce}), and starts publishing its counts.
   */
  public static Future<Announcement> announce(
      ClusterNode node, String service, String host, int port, ConnectionCounter counter) {
    return announce(node, service, host, port, counter, () -> null);
  }

  /** As {@link #announce(ClusterNode, String, String, int, ConnectionCounter)}, with UDP counts. */
  public static Future<Announcement> announce(
      ClusterNode node,
      String service,
      String host,
      int port,
      ConnectionCounter counter,
      Supplier<DatagramStats> udp) {
    ServiceRegistry registry = new HazelcastServiceRegistry(node.vertx(), node.hazelcast());
    ServiceInstance instance =
        new ServiceInstance(node.nodeId(), service, host, port, node.memberId());
    StatsPublisher publisher =
        new StatsPublisher(node.vertx(), node.nodeId(), service, counter, udp);
    return registry
        .announce(instance, node.membership().registryRefresh())
        .map(
            presence -> {
              publisher.start(StatsPublisher.DEFAULT_INTERVAL_MS);
              return new Announcement(presence, publisher);
            });
  }

  public ServiceInstance instance() {
    return presence.instance();
  }

  /** Deregisters for good, so balancers stop sending new connections here. */
  public Future<Void> withdraw() {
    publisher.stop();
    return presence.withdraw();
  }
}
