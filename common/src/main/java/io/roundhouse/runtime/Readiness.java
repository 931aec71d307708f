package io.roundhouse.runtime;

import io.roundhouse.cluster.ClusterNode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.util.function.BooleanSupplier;

/**
 * Whether this node should get traffic: up once it is serving (a backend: listening and registered
 * in the cluster; a balancer: its frontends listening), while its cluster member runs, and until
 * its stop begins. Down always comes with a reason. Shared by every listener instance.
 */
public final class Readiness {

  private final BooleanSupplier memberRunning;
  private final String notServingYet;
  private volatile boolean serving;
  private volatile boolean stopping;

  /**
   * @param memberRunning whether the node's cluster member runs
   * @param notServingYet the reason given until {@link #serving()} is called
   */
  public Readiness(BooleanSupplier memberRunning, String notServingYet) {
    this.memberRunning = memberRunning;
    this.notServingYet = notServingYet;
  }

  /** For a backend: not ready until it has registered in the cluster. */
  public static Readiness ofBackend(ClusterNode node) {
    return new Readiness(memberRunning(node), "not registered in the cluster yet");
  }

  /** For a balancer: not ready until its frontends listen. */
  public static Readiness ofBalancer(ClusterNode node) {
    return new Readiness(memberRunning(node), "frontends not listening yet");
  }

  private static BooleanSupplier memberRunning(ClusterNode node) {
    return () -> node.hazelcast().getLifecycleService().isRunning();
  }

  public void serving() {
    serving = true;
  }

  public void stopping() {
    stopping = true;
  }

  /** Whether its stop (a drain) has begun. */
  public boolean isStopping() {
    return stopping;
  }

  public Status status() {
    if (stopping) {
      return down("stopping");
    }
    if (!serving) {
      return down(notServingYet);
    }
    if (!isMemberRunning()) {
      return down("cluster member not running");
    }
    return Status.OK();
  }

  private boolean isMemberRunning() {
    try {
      return memberRunning.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Status down(String reason) {
    return Status.KO(new JsonObject().put("reason", reason));
  }
}
