package io.roundhouse.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.roundhouse.metrics.MetricsConfig;
import io.roundhouse.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A clustered Vert.x instance backed by a Hazelcast member, plus this process's node id. */
public final class ClusterNode {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

  private final String nodeId;
  private final Vertx vertx;
  private final HazelcastClusterManager clusterManager;
  private final NodeMetrics metrics;
  private final MembershipConfig membership;

  private ClusterNode(
      String nodeId,
      Vertx vertx,
      HazelcastClusterManager clusterManager,
      NodeMetrics metrics,
      MembershipConfig membership) {
    this.nodeId = nodeId;
    this.vertx = vertx;
    this.clusterManager = clusterManager;
    this.metrics = metrics;
    this.membership = membership;
  }

  /**
   * Joins the cluster with one event loop per core, the native transport when present, and a
   * metrics registry tagged with this node and service.
   */
  public static Future<ClusterNode> start(
      String nodeId, String service, ClusterConfig cluster, MetricsConfig metricsConfig) {
    HazelcastClusterManager manager =
        new HazelcastClusterManager(HazelcastConfigFactory.create(cluster));
    NodeMetrics metrics = NodeMetrics.create(nodeId, service);
    VertxOptions options =
        new VertxOptions()
            .setPreferNativeTransport(true)
            .setEventLoopPoolSize(Runtime.getRuntime().availableProcessors())
            .setEventBusOptions(
                new EventBusOptions()
                    .setHost(cluster.host())
                    .setPort(cluster.eventBusPort())
                    .setClusterPublicHost(cluster.publicHost()));
    VertxBuilder builder = Vertx.builder().with(options).withClusterManager(manager);
    if (metricsConfig.vertxMeters()) {
      // Both, or neither: a factory given to the builder is used whatever the options say, and
      // enabled options alone make Vert.x load vertx-micrometer-metrics with a registry of its own.
      options.setMetricsOptions(metrics.vertxOptions());
      builder.withMetrics(metrics.vertxFactory());
    }
    return builder
        .buildClustered()
        .onFailure(e -> metrics.close())
        .map(
            vertx -> {
              LOG.info(
                  "Node {} joined cluster '{}' as member {} ({} members, native transport: {})",
                  nodeId,
                  cluster.clusterName(),
                  manager.getHazelcastInstance().getCluster().getLocalMember().getUuid(),
                  manager.getNodes().size(),
                  vertx.isNativeTransportEnabled());
              return new ClusterNode(nodeId, vertx, manager, metrics, cluster.membership());
            });
  }

  /** Readable, stable for the life of the process: {@code echo-1}, or a host or pod name. */
  public String nodeId() {
    return nodeId;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Heartbeat and merge timings, and how often a backend checks its registry entry. */
  public MembershipConfig membership() {
    return membership;
  }

  /** This Hazelcast member's UUID, new after a merge; registry entries are tied to it. */
  public String memberId() {
    return hazelcast().getCluster().getLocalMember().getUuid().toString();
  }

  public HazelcastInstance hazelcast() {
    return clusterManager.getHazelcastInstance();
  }

  /** This node's Prometheus registry, served at {@code /metrics}. */
  public NodeMetrics metrics() {
    return metrics;
  }

  /** Leaves the cluster and closes Vert.x. */
  public Future<Void> close() {
    return vertx.close().onComplete(ar -> metrics.close());
  }
}
