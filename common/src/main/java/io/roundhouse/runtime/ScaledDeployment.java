package io.roundhouse.runtime;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Deploys {@code instances} copies of a listener verticle that share one listening socket; Vert.x
 * spreads accepted connections over their event loops. Port 0 becomes a negative port, Vert.x's
 * "random port shared by every server with this same negative number", unique per deployment.
 */
public final class ScaledDeployment {

  private static final AtomicInteger SHARED_RANDOM_PORT = new AtomicInteger();

  private ScaledDeployment() {}

  /** The port actually bound and the deployment id. */
  public record Deployed(int port, String deploymentId) {
    public Future<Void> undeploy(Vertx vertx) {
      return vertx.undeploy(deploymentId);
    }
  }

  public static Future<Deployed> deploy(
      Vertx vertx, int port, int instances, IntFunction<? extends Listener> factory) {
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1, got " + instances);
    }
    int listenPort = port == 0 ? -SHARED_RANDOM_PORT.incrementAndGet() : port;
    AtomicReference<Listener> first = new AtomicReference<>();
    return vertx
        .deployVerticle(
            () -> {
              Listener listener = factory.apply(listenPort);
              first.compareAndSet(null, listener);
              return listener;
            },
            new DeploymentOptions().setInstances(instances))
        .recover(e -> Future.failedFuture(ListenFailure.of(port, e)))
        .map(id -> new Deployed(first.get().actualPort(), id));
  }
}
