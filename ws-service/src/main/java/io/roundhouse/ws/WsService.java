package io.roundhouse.ws;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.BackendRuntime;
import io.roundhouse.runtime.Launcher;
import io.roundhouse.runtime.Readiness;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;

/** A running ws-service on a cluster node: listeners, registry entry, published counts. */
public final class WsService implements Launcher.Running {

  private final ClusterNode node;
  private final BackendRuntime runtime;
  private final ConnectionCounter counter;
  private final Readiness readiness;
  private final Duration shutdownGrace;

  private WsService(
      ClusterNode node,
      BackendRuntime runtime,
      ConnectionCounter counter,
      Readiness readiness,
      Duration shutdownGrace) {
    this.node = node;
    this.runtime = runtime;
    this.counter = counter;
    this.readiness = readiness;
    this.shutdownGrace = shutdownGrace;
  }

  public static Future<WsService> start(ClusterNode node, WsConfig config) {
    ConnectionCounter counter = new ConnectionCounter();
    Readiness readiness = Readiness.ofBackend(node);
    BackendRuntime.Spec spec =
        new BackendRuntime.Spec(
            ServiceInstance.WS,
            "websocket",
            config.host(),
            config.advertisedHost(),
            config.port(),
            config.instances());
    return BackendRuntime.start(
            node,
            spec,
            counter,
            port ->
                new WsHttpVerticle(config, port, node.nodeId(), counter, readiness, node.metrics()))
        .map(
            runtime -> {
              readiness.serving();
              return new WsService(node, runtime, counter, readiness, config.shutdownGrace());
            });
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

  @Override
  public Map<String, Integer> ports() {
    return Map.of("http", port());
  }

  @Override
  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /** Reports not ready, deregisters so no new connections arrive, then closes the listeners. */
  @Override
  public Future<Void> stop() {
    readiness.stopping();
    return runtime.stop(BackendRuntime.drainPeriod(shutdownGrace));
  }
}
