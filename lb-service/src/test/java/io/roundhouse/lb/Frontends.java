package io.roundhouse.lb;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roundhouse.config.Settings;
import io.roundhouse.echo.EchoConfig;
import io.roundhouse.echo.EchoVerticle;
import io.roundhouse.lb.backend.Backend;
import io.roundhouse.lb.backend.BackendConnector;
import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.lb.health.HealthCheckVerticle;
import io.roundhouse.lb.http.EdgeRejections;
import io.roundhouse.lb.http.GatewayErrors;
import io.roundhouse.lb.http.HttpFrontendVerticle;
import io.roundhouse.lb.limit.Limits;
import io.roundhouse.lb.tcp.TcpFrontendVerticle;
import io.roundhouse.lb.udp.UdpFrontendVerticle;
import io.roundhouse.lb.udp.UdpMeters;
import io.roundhouse.metrics.NodeMetrics;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.runtime.ScaledDeployment;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fast tier: the balancer's TCP and HTTP frontends and its health checks in one plain Vert.x,
 * fed through {@link BackendDirectory} directly, with origins the test starts in its own Vert.x. No
 * Hazelcast, no registry, no admin port: what needs a cluster stays in the {@code *IT}s over {@link
 * ClusterFixture}.
 */
final class Frontends implements AutoCloseable {

  /** For the test's origins and clients: event loops of their own, as real peers have. */
  final Vertx origins = Vertx.vertx();

  final TestClients clients = new TestClients(origins);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final BackendDirectory directory;
  final Limits limits;
  final FrontendCounters counters = FrontendCounters.create();

  /** The balancer's own, on the native transport as in production. */
  private final Vertx vertx;

  private final int tcpPort;
  private final int httpPort;
  private final int udpPort;

  /** Starts both frontends on 127.0.0.1, port 0, with {@code LB_*} settings on top of defaults. */
  Frontends(Map<String, String> settings) {
    this(settings, null);
  }

  /**
   * @param vertxMeters where Vert.x's own meters go, as with {@code METRICS_VERTX=true}; null for
   *     none, the default
   */
  Frontends(Map<String, String> settings, NodeMetrics vertxMeters) {
    this(settings, vertxMeters, null);
  }

  /**
   * @param shedCloseTimeout how long a shed WebSocket tunnel's close handshakes may take; null for
   *     the default
   */
  Frontends(Map<String, String> settings, NodeMetrics vertxMeters, Duration shedCloseTimeout) {
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    vertx =
        vertxMeters == null
            ? Vertx.vertx(options)
            : Vertx.builder()
                .with(options.setMetricsOptions(vertxMeters.vertxOptions()))
                .withMetrics(vertxMeters.vertxFactory())
                .build();
    Map<String, String> env = new HashMap<>(Map.of("LB_HOST", "127.0.0.1", "LB_INSTANCES", "1"));
    env.putAll(settings);
    env.putAll(Map.of("LB_TCP_PORT", "0", "LB_HTTP_PORT", "0", "LB_UDP_PORT", "0"));
    LbConfig config = LbConfig.from(Settings.of(env));
    limits =
        new Limits(
            config.limits(), vertx, registry, List.of(ServiceInstance.ECHO, ServiceInstance.WS));
    directory = new BackendDirectory(LbService.wakeQueue(limits.queues()), config.health());
    if (config.health().checks()) {
      vertx
          .deployVerticle(new HealthCheckVerticle(config.health(), directory::all))
          .timeout(30, TimeUnit.SECONDS)
          .await();
    }
    BackendConnector connector = LbService.connector(config, directory, limits);
    GatewayErrors errors = new GatewayErrors(registry, limits, config.limits().retryAfter());
    EdgeRejections rejections = new EdgeRejections(registry);
    tcpPort =
        TcpFrontendVerticle.deploy(vertx, config, 0, 1, connector, counters, limits)
            .timeout(30, TimeUnit.SECONDS)
            .await()
            .port();
    httpPort =
        ScaledDeployment.deploy(
                vertx,
                0,
                1,
                port ->
                    shedCloseTimeout == null
                        ? new HttpFrontendVerticle(
                            config, port, connector, counters, errors, limits, rejections)
                        : new HttpFrontendVerticle(
                            config,
                            port,
                            connector,
                            counters,
                            errors,
                            limits,
                            rejections,
                            shedCloseTimeout))
            .timeout(30, TimeUnit.SECONDS)
            .await()
            .port();
    udpPort =
        !config.udp().enabled()
            ? -1
            : ScaledDeployment.deploy(
                    vertx,
                    0,
                    1,
                    port ->
                        new UdpFrontendVerticle(
                            config.udp(),
                            config.host(),
                            port,
                            connector,
                            new UdpMeters(registry),
                            counters.udp(),
                            counters.connections()))
                .timeout(30, TimeUnit.SECONDS)
                .await()
                .port();
  }

  Frontends() {
    this(Map.of());
  }

  int tcpPort() {
    return tcpPort;
  }

  int httpPort() {
    return httpPort;
  }

  /** The UDP frontend's port; -1 with {@code LB_UDP=false}. */
  int udpPort() {
    return udpPort;
  }

  /** A meter's count in the balancer's registry, 0 when it was never registered. */
  double counted(String name, String... tags) {
    var counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  /**
   * The echo service's own verticle on {@code port} (0: any), on the origins' Vert.x; not listed as
   * a backend until {@link #backendUp}.
   */
  ScaledDeployment.Deployed echoOrigin(int port) {
    EchoConfig config =
        EchoConfig.from(
            Settings.of(
                Map.of("ECHO_HOST", "127.0.0.1", "ECHO_PORT", "0", "SHUTDOWN_GRACE", "0s")));
    return ScaledDeployment.deploy(
            origins, port, 1, p -> new EchoVerticle(config, p, new ConnectionCounter()))
        .timeout(30, TimeUnit.SECONDS)
        .await();
  }

  /**
   * An HTTP origin on the origins' Vert.x; returns its port. Not listed until {@link #backendUp}.
   */
  int httpOrigin(Handler<HttpServerRequest> handler) {
    return origins
        .createHttpServer()
        .requestHandler(handler)
        .listen(0, "127.0.0.1")
        .timeout(30, TimeUnit.SECONDS)
        .await()
        .actualPort();
  }

  /** Lists an origin as a live backend, as a registry push would. */
  void backendUp(String id, String service, int port) {
    directory.instanceUp(new ServiceInstance(id, service, "127.0.0.1", port, "member-" + id));
  }

  /** The balancer's own count of open connections to one backend. */
  long active(String service, String id) {
    return backend(service, id).activeConnections();
  }

  /** One live backend, as the balancer keeps it. */
  Backend backend(String service, String id) {
    return directory.live(service).stream()
        .filter(b -> b.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + " is not a live " + service + " backend"));
  }

  /** How many answers of {@code status} the balancer gave itself on {@code protocol}. */
  double gatewayErrors(String protocol, int status) {
    return registry
        .get("roundhouse.gateway.errors")
        .tags("protocol", protocol, "status", String.valueOf(status))
        .counter()
        .count();
  }

  /** How many requests or connections the balancer refused for {@code reason}. */
  double rejections(String reason) {
    return registry.get("roundhouse.edge.rejections").tags("reason", reason).counter().count();
  }

  @Override
  public void close() {
    vertx.close().timeout(30, TimeUnit.SECONDS).await();
    origins.close().timeout(30, TimeUnit.SECONDS).await();
  }
}
