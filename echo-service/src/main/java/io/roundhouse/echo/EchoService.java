package io.roundhouse.echo;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.BackendRuntime;
import io.roundhouse.runtime.Launcher;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.Future;

/** A running echo-service on a cluster node: listeners, registry entry, published counts. */
public final class EchoService implements Launcher.Running {

  private final ClusterNode node;
  private final BackendRuntime runtime;
  private final ConnectionCounter counter;

  private EchoService(ClusterNode node, BackendRuntime runtime, ConnectionCounter counter) {
    this.node = node;
    this.runtime = runtime;
    this.counter = counter;
  }

  public static Future<EchoService> start(ClusterNode node, EchoConfig config) {
    ConnectionCounter counter = new ConnectionCounter();
    BackendRuntime.Spec spec =
        new BackendRuntime.Spec(
            ServiceInstance.ECHO,
            config.host(),
            config.advertisedHost(),
            config.port(),
            config.instances());
    return BackendRuntime.start(
            node, spec, counter, port -> new EchoVerticle(config, port, counter))
        .map(runtime -> new EchoService(node, runtime, counter));
  }

  public int port() {
    return runtime.port();
  }

  public ConnectionCounter counter() {
    return counter;
  }

  @Override
  public ClusterNode node() {
    return node;
  }

  /** Deregisters first so no new connections arrive, then closes the listeners. */
  @Override
  public Future<Void> stop() {
    return runtime.stop();
  }
}
