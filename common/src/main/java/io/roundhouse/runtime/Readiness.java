package io.roundhouse.runtime;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.util.function.BooleanSupplier;

/**
 * Whether this node should get traffic: up once it is registered in the cluster, while its cluster
 * member runs, and until its stop begins. Shared by every listener instance.
 */
public final class Readiness {

  private final BooleanSupplier memberRunning;
  private volatile boolean registered;
  private volatile boolean stopping;

  public Readiness(BooleanSupplier memberRunning) {
    this.memberRunning = memberRunning;
  }

  public void registered() {
    registered = true;
  }

  public void stopping() {
    stopping = true;
  }

  public Status status() {
    if (stopping) {
      return down("stopping");
    }
    if (!registered) {
      return down("not registered in the cluster yet");
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
