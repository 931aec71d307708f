package io.roundhouse.lb;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.lb.admin.AdminApi;
import io.roundhouse.lb.admin.AdminVerticle;
import io.roundhouse.lb.admin.AdminWrites;
import io.roundhouse.lb.admin.DrainApi;
import io.roundhouse.lb.admin.SettingsApi;
import io.roundhouse.lb.backend.Backend;
import io.roundhouse.lb.backend.BackendConnector;
import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.lb.backend.BackendMeters;
import io.roundhouse.lb.conn.SocketsView;
import io.roundhouse.lb.http.EdgeRejections;
import io.roundhouse.lb.http.GatewayErrors;
import io.roundhouse.lb.http.HttpFrontendVerticle;
import io.roundhouse.lb.limit.Limits;
import io.roundhouse.lb.limit.WaitQueues;
import io.roundhouse.lb.peer.BalancerPeers;
import io.roundhouse.lb.peer.BalancerReport;
import io.roundhouse.lb.settings.LiveSettings;
import io.roundhouse.lb.settings.Tunables;
import io.roundhouse.lb.shed.ShedVerticle;
import io.roundhouse.lb.tcp.TcpFrontendVerticle;
import io.roundhouse.registry.HazelcastServiceRegistry;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.registry.ServiceRegistry;
import io.roundhouse.runtime.BackendRuntime;
import io.roundhouse.runtime.Launcher;
import io.roundhouse.runtime.Readiness;
import io.roundhouse.runtime.ScaledDeployment;
import io.roundhouse.runtime.ScaledDeployment.Deployed;
import io.roundhouse.stats.NodeStats;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running balancer: watches the registry, listens on the TCP, HTTP and admin ports, and keeps the
 * nodes' own reports of their connections.
 */
public final class LbService implements Launcher.Running {

  /** The service name in logs and metric tags. */
  public static final String SERVICE = "lb";

  private static final Logger LOG = LoggerFactory.getLogger(LbService.class);
  private static final long STARTED_AT = System.currentTimeMillis();

  private final ClusterNode node;
  private final BackendDirectory directory;
  private final MessageConsumer<JsonObject> statsConsumer;
  private final ServiceRegistry.Watch watch;
  private final String checks;
  private final Deployed tcp;
  private final Deployed http;
  private final Deployed udp;
  private final Deployed admin;
  private final Readiness readiness;
  private final Duration shutdownGrace;
  private final BalancerPeers peers;
  private final ShedVerticle shed;

  private LbService(LbParts parts, Deployed admin, BalancerPeers peers, ShedVerticle shed) {
    this.node = parts.node();
    this.directory = parts.directory();
    this.statsConsumer = parts.statsConsumer();
    this.watch = parts.watch();
    this.checks = parts.checks();
    this.tcp = parts.tcp();
    this.http = parts.http();
    this.udp = parts.udp();
    this.admin = admin;
    this.readiness = parts.readiness();
    this.shutdownGrace = parts.config().shutdownGrace();
    this.peers = peers;
    this.shed = shed;
  }

  /**
   * Watches the registry, starts checking the backends, then listens on the TCP, HTTP and admin
   * ports in turn; ready once all three listen.
   */
  public static Future<LbService> start(ClusterNode node, LbConfig config) {
    Limits limits =
        new Limits(
            config.limits(),
            node.vertx(),
            node.metrics().registry(),
            List.of(ServiceInstance.ECHO, ServiceInstance.WS));
    BackendDirectory directory =
        new BackendDirectory(
            new BackendMeters(node.metrics()).andThen(wakeQueue(limits.queues())), config.health());
    BackendConnector connector = connector(config, directory, limits);
    FrontendCounters counters = FrontendCounters.create();
    counters.register(node.metrics());
    GatewayErrors errors =
        new GatewayErrors(node.metrics().registry(), limits, config.limits().retryAfter());
    EdgeRejections rejections = new EdgeRejections(node.metrics().registry());
    Readiness readiness = Readiness.ofBalancer(node);
    MessageConsumer<JsonObject> statsConsumer =
        node.vertx()
            .eventBus()
            .<JsonObject>consumer(NodeStats.ADDRESS)
            .handler(m -> directory.report(NodeStats.fromJson(m.body())));
    LbParts parts =
        new LbParts(
            node, config, directory, readiness, statsConsumer, null, null, null, null, null);
    ServiceRegistry registry = new HazelcastServiceRegistry(node.vertx(), node.hazelcast());
    BalancerPeers peers = new BalancerPeers(node.vertx(), BalancerPeers.DEFAULT_INTERVAL_MS);
    AdminApi balancers =
        router -> router.get("/api/balancers").handler(ctx -> ctx.json(peers.render()));
    ShedVerticle shed =
        new ShedVerticle(
            config.shed(),
            directory,
            counters.connections(),
            node.hazelcast(),
            node.metrics().registry(),
            List.of(ServiceInstance.ECHO, ServiceInstance.WS));
    AdminApi rebalance =
        router -> router.get("/api/rebalance").handler(ctx -> ctx.json(shed.status()));
    AdminWrites writes = new AdminWrites(config.adminToken());
    AdminApi drains = new DrainApi(directory, writes, config.shutdownGrace());
    LiveSettings live =
        new LiveSettings(
            node.vertx(), node.hazelcast(), Tunables.of(config), LbWiring.retuner(connector, shed));
    return statsConsumer
        .completion()
        .compose(v -> registry.watch(directory))
        .map(parts::with)
        .compose(p -> LbWiring.startChecks(node, config, directory).map(p::withChecks))
        .compose(
            p ->
                TcpFrontendVerticle.deploy(
                        node.vertx(),
                        config,
                        config.tcpPort(),
                        config.instances(),
                        connector,
                        counters,
                        limits)
                    .map(p::withTcp))
        .compose(
            p ->
                ScaledDeployment.deploy(
                        node.vertx(),
                        config.httpPort(),
                        config.instances(),
                        port ->
                            new HttpFrontendVerticle(
                                config, port, connector, counters, errors, limits, rejections))
                    .map(p::withHttp))
        .compose(p -> LbWiring.startUdp(node, config, connector, counters).map(p::withUdp))
        .compose(p -> node.vertx().deployVerticle(shed).map(p))
        .compose(
            p ->
                ScaledDeployment.deploy(
                        node.vertx(),
                        config.adminPort(),
                        1,
                        port ->
                            new AdminVerticle(
                                config,
                                port,
                                directory,
                                counters,
                                limits,
                                readiness,
                                node.metrics(),
                                new SocketsView(
                                    config.nodeId(), counters.connections(), p.listening(config)),
                                List.of(
                                    balancers, rebalance, drains, new SettingsApi(live, writes))))
                    .map(admin -> new LbService(p, admin, peers, shed)))
        .compose(lb -> peers.start(() -> lb.report(config, counters)).map(lb))
        .compose(lb -> live.start().map(lb))
        .onSuccess(lb -> lb.serving(config));
  }

  /** Chooses and dials backends, each up to its cap, queueing past it. */
  static BackendConnector connector(LbConfig config, BackendDirectory directory, Limits limits) {
    return new BackendConnector(
        directory,
        config.strategy()::create,
        config.connectAttempts(),
        config.limits().backendMaxConnections(),
        limits.queues(),
        config.limits().queueTimeout());
  }

  /** A backend that joins is a free slot for whoever waits in its service's queue. */
  static BackendDirectory.Changes wakeQueue(WaitQueues queues) {
    return new BackendDirectory.Changes() {
      @Override
      public void added(Backend backend) {
        queues.freed(backend.service());
      }
    };
  }

  /** Ready from here on; the log line names the bound ports (port 0 picks free ones). */
  private void serving(LbConfig config) {
    readiness.serving();
    LOG.info(
        "lb-service {} listening: TCP {}:{}, HTTP {}:{}, UDP {}, admin {}:{}"
            + " (strategy {}, {} event loops per port)",
        node.nodeId(),
        config.host(),
        tcp.port(),
        config.host(),
        http.port(),
        udp == null ? "off" : config.host() + ":" + udp.port(),
        config.adminHost(),
        admin.port(),
        config.strategy(),
        config.instances());
  }

  /** What this balancer tells the others of itself. */
  private BalancerReport report(LbConfig config, FrontendCounters counters) {
    return new BalancerReport(
        node.nodeId(),
        config.host(),
        ProcessHandle.current().pid(),
        ports(),
        counters.tcp().active(),
        counters.http().active(),
        counters.webSocket().active(),
        counters.udp().active(),
        readiness.isStopping(),
        STARTED_AT);
  }

  private Future<Void> stopChecks() {
    return checks == null ? Future.succeededFuture() : node.vertx().undeploy(checks);
  }

  public BackendDirectory directory() {
    return directory;
  }

  public int tcpPort() {
    return tcp.port();
  }

  public int httpPort() {
    return http.port();
  }

  /** The UDP frontend's port, or -1 when it is off. */
  public int udpPort() {
    return udp == null ? -1 : udp.port();
  }

  public int adminPort() {
    return admin.port();
  }

  @Override
  public ClusterNode node() {
    return node;
  }

  @Override
  public Map<String, Integer> ports() {
    return udp == null
        ? Map.of("tcp", tcpPort(), "http", httpPort(), "admin", adminPort())
        : Map.of("tcp", tcpPort(), "http", httpPort(), "udp", udpPort(), "admin", adminPort());
  }

  @Override
  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /**
   * Reports not ready, stops accepting on the TCP and HTTP ports at once and gives their open
   * connections the grace period to finish, then closes the admin port, stops checking and stops
   * watching.
   */
  @Override
  public Future<Void> stop() {
    readiness.stopping();
    Future<Void> udpStopped = udp == null ? Future.succeededFuture() : udp.undeploy(node.vertx());
    // Spread over most of the grace, so the clients do not all reconnect at once; the frontends
    // close whatever is left when the grace is over.
    Future<Void> drained = shed.drainSelf(BackendRuntime.drainPeriod(shutdownGrace));
    return Future.join(tcp.undeploy(node.vertx()), http.undeploy(node.vertx()), udpStopped, drained)
        .<Void>mapEmpty()
        .eventually(() -> admin.undeploy(node.vertx()))
        .eventually(this::stopChecks)
        .eventually(peers::stop)
        .eventually(statsConsumer::unregister)
        .eventually(watch::close);
  }
}
