package io.roundhouse.echo;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.BackendRuntime;
import io.roundhouse.runtime.Launcher;
import io.roundhouse.runtime.Readiness;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running echo-service on a cluster node: admin port, TCP echo listeners, UDP echo socket,
 * registry entry, published counts.
 */
public final class EchoService implements Launcher.Running {

  private static final Logger LOG = LoggerFactory.getLogger(EchoService.class);

  private final ClusterNode node;
  private final BackendRuntime runtime;
  private final UdpEcho udp;
  private final ConnectionCounter counter;
  private final UdpCounters udpCounters;
  private final Readiness readiness;
  private final EchoAdminVerticle admin;
  private final String adminDeployment;
  private final Duration shutdownGrace;

  private EchoService(
      ClusterNode node,
      BackendRuntime runtime,
      UdpEcho udp,
      ConnectionCounter counter,
      UdpCounters udpCounters,
      Readiness readiness,
      EchoAdminVerticle admin,
      String adminDeployment,
      Duration shutdownGrace) {
    this.node = node;
    this.runtime = runtime;
    this.udp = udp;
    this.counter = counter;
    this.udpCounters = udpCounters;
    this.readiness = readiness;
    this.admin = admin;
    this.adminDeployment = adminDeployment;
    this.shutdownGrace = shutdownGrace;
  }

  /**
   * The admin port comes up first, so probes answer (not ready) while the node registers; then the
   * TCP and UDP echoes on one port number ({@link #listen}).
   */
  public static Future<EchoService> start(ClusterNode node, EchoConfig config) {
    ConnectionCounter counter = new ConnectionCounter();
    UdpCounters udpCounters = new UdpCounters();
    Readiness readiness = Readiness.ofBackend(node);
    EchoAdminVerticle admin = new EchoAdminVerticle(config, readiness, node.metrics());
    BackendRuntime.Spec spec =
        new BackendRuntime.Spec(
            ServiceInstance.ECHO,
            "tcp",
            config.host(),
            config.advertisedHost(),
            config.port(),
            config.instances());
    return node.vertx()
        .deployVerticle(admin)
        .compose(
            adminDeployment -> {
              LOG.info(
                  "echo-service {} admin on {}:{}",
                  node.nodeId(),
                  config.adminHost(),
                  admin.actualPort());
              return listen(node, config, spec, counter, udpCounters)
                  .map(
                      listeners ->
                          new EchoService(
                              node,
                              listeners.runtime(),
                              listeners.udp(),
                              counter,
                              udpCounters,
                              readiness,
                              admin,
                              adminDeployment,
                              config.shutdownGrace()))
                  .recover(
                      e ->
                          node.vertx()
                              .undeploy(adminDeployment)
                              .transform(ar -> Future.failedFuture(e)))
                  .onSuccess(service -> readiness.serving());
            });
  }

  private record Listeners(BackendRuntime runtime, UdpEcho udp) {}

  /**
   * Binds TCP and UDP, registering once TCP listens (BackendRuntime). A fixed port binds UDP first,
   * so a taken UDP port fails the start before the node registers; with port 0, TCP picks and UDP
   * takes its number, or a free one, so it does not fail for a taken port.
   */
  private static Future<Listeners> listen(
      ClusterNode node,
      EchoConfig config,
      BackendRuntime.Spec spec,
      ConnectionCounter counter,
      UdpCounters udpCounters) {
    IntFunction<EchoVerticle> tcp = port -> new EchoVerticle(config, port, counter);
    if (config.port() != 0) {
      return UdpEcho.start(node, config, config.port(), udpCounters)
          .compose(
              udp ->
                  BackendRuntime.start(node, spec, counter, udpCounters::snapshot, tcp)
                      .recover(e -> udp.stop().transform(ar -> Future.failedFuture(e)))
                      .map(runtime -> new Listeners(runtime, udp)));
    }
    return BackendRuntime.start(node, spec, counter, udpCounters::snapshot, tcp)
        .compose(
            runtime ->
                UdpEcho.start(node, config, runtime.port(), udpCounters)
                    .recover(e -> runtime.stop().transform(ar -> Future.failedFuture(e)))
                    .map(udp -> new Listeners(runtime, udp)));
  }

  public int port() {
    return runtime.port();
  }

  /** The UDP echo's port: the TCP echo's number, unless that UDP port was taken (port 0 only). */
  public int udpPort() {
    return udp.port();
  }

  public UdpCounters udpCounters() {
    return udpCounters;
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
  public Map<String, Integer> ports() {
    return Map.of("tcp", port(), "udp", udpPort(), "admin", adminPort());
  }

  @Override
  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /**
   * Reports not ready, deregisters so no new connections arrive, closes the TCP listeners (open
   * connections get the grace), then the UDP socket, which echoes until then.
   */
  @Override
  public Future<Void> stop() {
    readiness.stopping();
    return runtime
        .stop(BackendRuntime.drainPeriod(shutdownGrace))
        .eventually(udp::stop)
        .eventually(() -> node.vertx().undeploy(adminDeployment));
  }
}
