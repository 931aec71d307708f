package io.roundhouse.echo;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.BackendRuntime;
import io.roundhouse.runtime.Launcher;
import io.roundhouse.runtime.Readiness;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.Future;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running echo-service on a cluster node: admin port, echo listeners, registry entry, published
 * counts.
 */
public final class EchoService implements Launcher.Running {

  private static final Logger LOG = LoggerFactory.getLogger(EchoService.class);

  private final ClusterNode node;
  private final BackendRuntime runtime;
  private final ConnectionCounter counter;
  private final Readiness readiness;
  private final EchoAdminVerticle admin;
  private final String adminDeployment;
  private final Duration shutdownGrace;

  private EchoService(Builder b) {
    this.node = b.node;
    this.runtime = b.runtime;
    this.counter = b.counter;
    this.readiness = b.readiness;
    this.admin = b.admin;
    this.adminDeployment = b.adminDeployment;
    this.shutdownGrace = b.shutdownGrace;
  }

  /** The admin port comes up first, so probes answer (not ready) while the node registers. */
  public static Future<EchoService> start(ClusterNode node, EchoConfig config) {
    Builder b = new Builder(node);
    b.shutdownGrace = config.shutdownGrace();
    b.admin = new EchoAdminVerticle(config, b.readiness, node.metrics());
    BackendRuntime.Spec spec =
        new BackendRuntime.Spec(
            ServiceInstance.ECHO,
            "tcp",
            config.host(),
            config.advertisedHost(),
            config.port(),
            config.instances());
    return node.vertx()
        .deployVerticle(b.admin)
        .compose(
            id -> {
              b.adminDeployment = id;
              LOG.info(
                  "echo-service {} admin on {}:{}",
                  node.nodeId(),
                  config.adminHost(),
                  b.admin.actualPort());
              return BackendRuntime.start(
                      node, spec, b.counter, port -> new EchoVerticle(config, port, b.counter))
                  .recover(e -> node.vertx().undeploy(id).transform(ar -> Future.failedFuture(e)));
            })
        .map(
            runtime -> {
              b.runtime = runtime;
              b.readiness.registered();
              return new EchoService(b);
            });
  }

  public int port() {
    return runtime.port();
  }

  public int adminPort() {
    return admin.actualPort();
  }

  public ConnectionCounter counter() {
    return counter;
  }

  @Override
  public ClusterNode node() {
    return node;
  }

  @Override
  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /** Reports not ready, deregisters so no new connections arrive, closes the listeners. */
  @Override
  public Future<Void> stop() {
    readiness.stopping();
    return runtime.stop().eventually(() -> node.vertx().undeploy(adminDeployment));
  }

  private static final class Builder {
    final ClusterNode node;
    final ConnectionCounter counter = new ConnectionCounter();
    final Readiness readiness;
    EchoAdminVerticle admin;
    String adminDeployment;
    BackendRuntime runtime;
    Duration shutdownGrace;

    Builder(ClusterNode node) {
      this.node = node;
      this.readiness = new Readiness(() -> node.hazelcast().getLifecycleService().isRunning());
    }
  }
}
