package io.roundhouse.testing;

import io.roundhouse.cluster.ClusterConfig;
import io.roundhouse.cluster.ClusterNode;
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
    String name = "rh-test-" + UUID.randomUUID().toString().substring(0, 8);
    int base = 20_000 + ThreadLocalRandom.current().nextInt(0, 1000) * PORT_COUNT;
    return new TestCluster(ClusterConfig.local(name, base, PORT_COUNT));
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
