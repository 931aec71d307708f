package io.roundhouse.cluster;

import io.roundhouse.config.Checks;
import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import java.util.List;

/**
 * Where and how this process joins the Hazelcast cluster.
 *
 * @param mode how members are found
 * @param clusterName members only join a cluster of the same name
 * @param host the interface Hazelcast and the event bus bind to
 * @param publicHost the address other members use to reach this one (the pod IP on Kubernetes)
 * @param port the first Hazelcast port tried
 * @param portCount how many ports from {@code port} on may be tried, and are probed for members
 * @param members the member addresses for {@link JoinMode#STATIC}; {@code host} in local mode
 * @param kubernetesServiceDns the headless service for {@link JoinMode#KUBERNETES}
 * @param eventBusPort the clustered event bus port, 0 to pick one
 * @param membership heartbeats, merges after a split, and the registry's self-repair
 */
public record ClusterConfig(
    JoinMode mode,
    String clusterName,
    String host,
    String publicHost,
    int port,
    int portCount,
    List<String> members,
    String kubernetesServiceDns,
    int eventBusPort,
    MembershipConfig membership) {

  public static final JoinMode DEFAULT_MODE = JoinMode.LOCAL;
  public static final String DEFAULT_CLUSTER_NAME = "roundhouse";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  public static final int DEFAULT_PORT_COUNT = 20;

  public ClusterConfig {
    if (mode == null) {
      throw new ConfigException("CLUSTER_MODE must be set");
    }
    Checks.notBlank("CLUSTER_NAME", clusterName);
    Checks.notBlank("CLUSTER_HOST", host);
    Checks.notBlank("CLUSTER_PUBLIC_HOST", publicHost);
    Checks.port("CLUSTER_PORT", port);
    if (port == 0) {
      throw new ConfigException("CLUSTER_PORT must be a fixed port: members find each other by it");
    }
    Checks.positive("CLUSTER_PORT_COUNT", portCount);
    if (port + portCount - 1 > 65535) {
      throw new ConfigException("CLUSTER_PORT + CLUSTER_PORT_COUNT must stay below 65536");
    }
    members = List.copyOf(members == null ? List.of() : members);
    for (String m : members) {
      if (m.matches(".*:\\d+-\\d+$")) {
        throw new ConfigException(
            "CLUSTER_MEMBERS entries take one address (host or host:port), not a port range: " + m);
      }
    }
    if (mode == JoinMode.STATIC && members.isEmpty()) {
      throw new ConfigException("CLUSTER_MEMBERS is required when CLUSTER_MODE=static");
    }
    if (mode == JoinMode.KUBERNETES
        && (kubernetesServiceDns == null || kubernetesServiceDns.isBlank())) {
      throw new ConfigException("CLUSTER_K8S_SERVICE_DNS is required when CLUSTER_MODE=kubernetes");
    }
    Checks.port("EVENTBUS_PORT", eventBusPort);
    if (membership == null) {
      membership = MembershipConfig.DEFAULT;
    }
  }

  /** With the default {@link MembershipConfig}. */
  public ClusterConfig(
      JoinMode mode,
      String clusterName,
      String host,
      String publicHost,
      int port,
      int portCount,
      List<String> members,
      String kubernetesServiceDns,
      int eventBusPort) {
    this(
        mode,
        clusterName,
        host,
        publicHost,
        port,
        portCount,
        members,
        kubernetesServiceDns,
        eventBusPort,
        MembershipConfig.DEFAULT);
  }

  /** The same join, with other heartbeat, merge and registry timings. */
  public ClusterConfig withMembership(MembershipConfig next) {
    return new ClusterConfig(
        mode,
        clusterName,
        host,
        publicHost,
        port,
        portCount,
        members,
        kubernetesServiceDns,
        eventBusPort,
        next);
  }

  /** Local mode on loopback, with a cluster name and port range of the caller's choosing. */
  public static ClusterConfig local(String clusterName, int port, int portCount) {
    return new ClusterConfig(
        JoinMode.LOCAL,
        clusterName,
        DEFAULT_HOST,
        DEFAULT_HOST,
        port,
        portCount,
        List.of(DEFAULT_HOST),
        null,
        0);
  }

  /**
   * The address to register for a listener bound to {@code bindHost}: the bind address itself,
   * unless it is a wildcard, which no peer can connect to; then this member's public host.
   */
  public String advertisedHostFor(String bindHost) {
    boolean wildcard =
        bindHost.equals("0.0.0.0") || bindHost.equals("::") || bindHost.equals("[::]");
    return wildcard ? publicHost : bindHost;
  }

  public static ClusterConfig from(Settings s) {
    JoinMode mode = s.enumValue("CLUSTER_MODE", JoinMode.class, DEFAULT_MODE);
    String host = s.string("CLUSTER_HOST", s.string("POD_IP", DEFAULT_HOST));
    List<String> defaultMembers = mode == JoinMode.LOCAL ? List.of(host) : List.of();
    return new ClusterConfig(
        mode,
        s.string("CLUSTER_NAME", DEFAULT_CLUSTER_NAME),
        host,
        s.string("CLUSTER_PUBLIC_HOST", host),
        s.integer("CLUSTER_PORT", DEFAULT_PORT, 1, 65535),
        s.integer("CLUSTER_PORT_COUNT", DEFAULT_PORT_COUNT, 1, 1000),
        s.list("CLUSTER_MEMBERS", defaultMembers),
        s.string("CLUSTER_K8S_SERVICE_DNS", null),
        s.port("EVENTBUS_PORT", 0),
        MembershipConfig.from(s));
  }
}
