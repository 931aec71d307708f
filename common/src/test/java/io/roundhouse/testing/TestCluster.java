package io.roundhouse.testing;

import io.roundhouse.cluster.ClusterConfig;
import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.cluster.MembershipConfig;
import io.roundhouse.metrics.MetricsConfig;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A cluster of its own for one test: a unique name and a random Hazelcast port range below the
 * ephemeral range, so parallel runs and earlier runs never merge with it.
 */
public final class TestCluster {

  public static final int PORT_COUNT = 12;

  private final ClusterConfig config;

  private TestCluster(ClusterConfig config) {
    this.config = config;
  }

  public static TestCluster create() {
    return create(MembershipConfig.DEFAULT);
  }

  /** A cluster of its own whose members use {@code membership}'s heartbeat and merge timings. */
  public static TestCluster create(MembershipConfig membership) {
    return create(membership, PORT_COUNT);
  }

  /**
   * As {@link #create(MembershipConfig)}, probing only {@code portCount} ports (at most {@link
   * #PORT_COUNT}). A member looking for a cluster to merge with waits 5 s on every port of the
   * range nobody listens on, so a test of merges keeps the range just above its member count.
   */
  public static TestCluster create(MembershipConfig membership, int portCount) {
    if (portCount < 1 || portCount > PORT_COUNT) {
      throw new IllegalArgumentException("portCount must be 1 to " + PORT_COUNT);
    }
    String name = "rh-test-" + UUID.randomUUID().toString().substring(0, 8);
    int base = 20_000 + ThreadLocalRandom.current().nextInt(0, 1000) * PORT_COUNT;
    return new TestCluster(ClusterConfig.local(name, base, portCount).withMembership(membership));
  }

  public ClusterConfig config() {
    return config;
  }

  /** Starts a real cluster member (own Vert.x, own Hazelcast) in this JVM; blocks. */
  public ClusterNode join(String nodeId) {
    return join(nodeId, "test");
  }

  /** As {@link #join(String)}, with the service name its metrics are tagged with. */
  public ClusterNode join(String nodeId, String service) {
    return ClusterNode.start(nodeId, service, config, MetricsConfig.DEFAULT).await();
  }
}
