package io.roundhouse.runtime;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.IntFunction;

/**
 * Deploys a listener verticle once on the configured port (maybe 0), then the other instances on
 * the port the first one bound, so all instances share one listening socket and Vert.x spreads
 * accepted connections over their event loops.
 */
public final class ScaledDeployment {

  private ScaledDeployment() {}

  /** The bound port and the deployment ids, first instance first. */
  public record Deployed(int port, String firstId, String restId) {
    public Future<Void> undeploy(Vertx vertx) {
      Future<Void> rest = restId == null ? Future.succeededFuture() : vertx.undeploy(restId);
      return rest.eventually(() -> vertx.undeploy(firstId));
    }
  }

  public static Future<Deployed> deploy(
      Vertx vertx, int port, int instances, IntFunction<? extends Listener> factory) {
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1, got " + instances);
    }
    Listener first = factory.apply(port);
    return vertx
        .deployVerticle(first)
        .compose(
            firstId -> {
              int actual = first.actualPort();
              if (instances == 1) {
                return Future.succeededFuture(new Deployed(actual, firstId, null));
              }
              return vertx
                  .deployVerticle(
                      () -> factory.apply(actual),
                      new DeploymentOptions().setInstances(instances - 1))
                  .map(restId -> new Deployed(actual, firstId, restId));
            });
  }
}
