package io.roundhouse.testing;

import io.roundhouse.cluster.ClusterNode;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Cleanup for cluster members a test started. */
public final class Nodes {

  private static final Logger LOG = LoggerFactory.getLogger(Nodes.class);

  private Nodes() {}

  /** Closes the node if there is one; never throws, so later cleanup still runs. */
  public static void closeQuietly(ClusterNode node) {
    if (node == null) {
      return;
    }
    try {
      node.close().timeout(30, TimeUnit.SECONDS).await();
    } catch (Exception e) {
      LOG.warn("Closing node {} failed: {}", node.nodeId(), e.toString());
    }
    try {
      // A terminated or half-closed member must not linger and join a later test's cluster.
      if (node.hazelcast().getLifecycleService().isRunning()) {
        node.hazelcast().getLifecycleService().terminate();
      }
    } catch (Exception e) {
      LOG.warn("Terminating member of {} failed: {}", node.nodeId(), e.toString());
    }
  }

  /** Simulates a crash: the Hazelcast member vanishes without leaving, then Vert.x is closed. */
  public static void crash(ClusterNode node) {
    node.hazelcast().getLifecycleService().terminate();
    closeQuietly(node);
  }
}
