package io.roundhouse.runtime;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.registry.HazelcastServiceRegistry;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.registry.ServiceRegistry;
import io.roundhouse.stats.ConnectionCounter;
import io.roundhouse.stats.StatsPublisher;
import io.vertx.core.Future;

/** A backend's presence in the cluster: its registry entry and its published counts. */
public final class Announcement {

  private final ServiceRegistry registry;
  private final ServiceInstance instance;
  private final StatsPublisher publisher;

  private Announcement(
      ServiceRegistry registry, ServiceInstance instance, StatsPublisher publisher) {
    this.registry = registry;
    this.instance = instance;
    this.publisher = publisher;
  }

  /** Registers the instance (now ready to serve) and starts publishing its counts. */
  public static Future<Announcement> announce(
      ClusterNode node, String service, String host, int port, ConnectionCounter counter) {
    ServiceRegistry registry = new HazelcastServiceRegistry(node.vertx(), node.hazelcast());
    ServiceInstance instance =
        new ServiceInstance(node.nodeId(), service, host, port, node.memberId());
    StatsPublisher publisher = new StatsPublisher(node.vertx(), node.nodeId(), service, counter);
    return registry
        .register(instance)
        .map(
            v -> {
              publisher.start(StatsPublisher.DEFAULT_INTERVAL_MS);
              return new Announcement(registry, instance, publisher);
            });
  }

  public ServiceInstance instance() {
    return instance;
  }

  /** Deregisters, so balancers stop sending new connections here. */
  public Future<Void> withdraw() {
    publisher.stop();
    return registry.deregister(instance.id());
  }
}
