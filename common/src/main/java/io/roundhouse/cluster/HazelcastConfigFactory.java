package io.roundhouse.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.roundhouse.registry.HazelcastServiceRegistry;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.time.Duration;
import java.util.List;

/**
 * Builds the Hazelcast configuration. In every mode: multicast off, auto-detection and cloud
 * discovery off, phone-home off, bound to one explicit interface, members listed explicitly (or
 * found by the Kubernetes DNS lookup). Left at its defaults Hazelcast probes multicast groups and
 * cloud metadata addresses.
 */
public final class HazelcastConfigFactory {

  private HazelcastConfigFactory() {}

  public static Config create(ClusterConfig cluster) {
    // Keeps the __vertx.* map configurations vertx-hazelcast relies on.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.clusterName());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    // A member listed without a port is probed on every port of the range, not Hazelcast's
    // default of the first three: a member that had to bind further up is still found.
    config.setProperty("hazelcast.tcp.join.port.try.count", String.valueOf(cluster.portCount()));
    membership(config, cluster.membership());
    // Hazelcast's shutdown hook would race ours: deregistration must happen first.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.getJetConfig().setEnabled(false);

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortCount(cluster.portCount()).setPortAutoIncrement(true);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(cluster.host()));
    if (!cluster.publicHost().equals(cluster.host())) {
      network.setPublicAddress(cluster.publicHost());
    }
    network.getRestApiConfig().setEnabled(false);
    network.getMemcacheProtocolConfig().setEnabled(false);

    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getGcpConfig().setEnabled(false);
    join.getAzureConfig().setEnabled(false);
    join.getEurekaConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(false).setMembers(List.of());
    join.getKubernetesConfig().setEnabled(false);
    switch (cluster.mode()) {
      case LOCAL -> {
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
        join.getTcpIpConfig().setMembers(cluster.members());
      }
      case STATIC -> {
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
        join.getTcpIpConfig().setMembers(MemberAddresses.expand(cluster.members()));
      }
      case KUBERNETES ->
          join.getKubernetesConfig()
              .setEnabled(true)
              .setProperty("service-dns", cluster.kubernetesServiceDns())
              .setProperty("service-port", String.valueOf(cluster.port()));
    }
    return config;
  }

  /**
   * Heartbeats and merges. A killed member's closed sockets are noticed at once; a silent one
   * (hung, paused, partitioned) after the heartbeat timeout. A member removed that way, once it
   * runs again, finds itself alone or in a smaller cluster; every merge interval the oldest member
   * of each cluster looks for others of the same name and the smaller one joins the larger. The
   * registry map drops the joining side's copy ({@link HazelcastServiceRegistry#mapConfig()}); each
   * backend writes its own entry again once merged.
   */
  private static void membership(Config config, MembershipConfig membership) {
    config.setProperty(
        "hazelcast.heartbeat.interval.seconds", seconds(membership.heartbeatInterval()));
    config.setProperty(
        "hazelcast.max.no.heartbeat.seconds", seconds(membership.heartbeatTimeout()));
    config.setProperty(
        "hazelcast.merge.first.run.delay.seconds", seconds(membership.mergeInterval()));
    config.setProperty(
        "hazelcast.merge.next.run.delay.seconds", seconds(membership.mergeInterval()));
    config.addMapConfig(HazelcastServiceRegistry.mapConfig());
  }

  private static String seconds(Duration d) {
    return String.valueOf(d.toSeconds());
  }
}
