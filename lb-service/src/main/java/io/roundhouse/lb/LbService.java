package io.roundhouse.lb;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.lb.admin.AdminVerticle;
import io.roundhouse.lb.backend.BackendConnector;
import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.lb.backend.BackendMeters;
import io.roundhouse.lb.http.GatewayErrors;
import io.roundhouse.lb.http.HttpFrontendVerticle;
import io.roundhouse.lb.tcp.TcpFrontendVerticle;
import io.roundhouse.registry.HazelcastServiceRegistry;
import io.roundhouse.registry.ServiceRegistry;
import io.roundhouse.runtime.Launcher;
import io.roundhouse.runtime.ScaledDeployment;
import io.roundhouse.runtime.ScaledDeployment.Deployed;
import io.roundhouse.stats.NodeStats;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
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

  private final ClusterNode node;
  private final BackendDirectory directory;
  private final ServiceRegistry.Watch watch;
  private final MessageConsumer<JsonObject> statsConsumer;
  private final Deployed tcp;
  private final Deployed http;
  private final Deployed admin;
  private final AtomicBoolean serving;
  private final Duration shutdownGrace;

  private LbService(Builder b) {
    this.node = b.node;
    this.directory = b.directory;
    this.watch = b.watch;
    this.statsConsumer = b.statsConsumer;
    this.tcp = b.tcp;
    this.http = b.http;
    this.admin = b.admin;
    this.serving = b.serving;
    this.shutdownGrace = b.shutdownGrace;
  }

  public static Future<LbService> start(ClusterNode node, LbConfig config) {
    Builder b = new Builder();
    b.shutdownGrace = config.shutdownGrace();
    b.node = node;
    b.directory = new BackendDirectory(new BackendMeters(node.metrics()));
    BackendConnector connector =
        new BackendConnector(b.directory, config.strategy()::create, config.connectAttempts());
    FrontendCounters counters = FrontendCounters.create();
    counters.register(node.metrics());
    GatewayErrors errors = new GatewayErrors(node.metrics().registry());
    b.statsConsumer =
        node.vertx()
            .eventBus()
            .<JsonObject>consumer(NodeStats.ADDRESS)
            .handler(m -> b.directory.report(NodeStats.fromJson(m.body())));
    ServiceRegistry registry = new HazelcastServiceRegistry(node.vertx(), node.hazelcast());
    return b.statsConsumer
        .completion()
        .compose(v -> registry.watch(b.directory))
        .compose(
            w -> {
              b.watch = w;
              return ScaledDeployment.deploy(
                  node.vertx(),
                  config.tcpPort(),
                  config.instances(),
                  port -> new TcpFrontendVerticle(config, port, connector, counters));
            })
        .compose(
            d -> {
              b.tcp = d;
              return ScaledDeployment.deploy(
                  node.vertx(),
                  config.httpPort(),
                  config.instances(),
                  port -> new HttpFrontendVerticle(config, port, connector, counters, errors));
            })
        .compose(
            d -> {
              b.http = d;
              return ScaledDeployment.deploy(
                      node.vertx(),
                      config.adminPort(),
                      1,
                      port ->
                          new AdminVerticle(
                              config, port, b.directory, counters, b.serving::get, node.metrics()))
                  .map(
                      a -> {
                        b.admin = a;
                        b.serving.set(true);
                        LOG.info(
                            "lb-service {} listening: TCP {}:{}, HTTP {}:{}, admin {}:{}"
                                + " (strategy {}, {} event loops per port)",
                            node.nodeId(),
                            config.host(),
                            b.tcp.port(),
                            config.host(),
                            b.http.port(),
                            config.adminHost(),
                            a.port(),
                            config.strategy(),
                            config.instances());
                        return new LbService(b);
                      });
            });
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

  public int adminPort() {
    return admin.port();
  }

  @Override
  public ClusterNode node() {
    return node;
  }

  @Override
  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /**
   * Reports not ready, stops accepting on the TCP and HTTP ports at once and gives their open
   * connections the grace period to finish, then closes the admin port and stops watching.
   */
  @Override
  public Future<Void> stop() {
    serving.set(false);
    return Future.join(tcp.undeploy(node.vertx()), http.undeploy(node.vertx()))
        .<Void>mapEmpty()
        .eventually(() -> admin.undeploy(node.vertx()))
        .eventually(statsConsumer::unregister)
        .eventually(watch::close);
  }

  private static final class Builder {
    ClusterNode node;
    BackendDirectory directory;
    ServiceRegistry.Watch watch;
    MessageConsumer<JsonObject> statsConsumer;
    Deployed tcp;
    Deployed http;
    Deployed admin;
    final AtomicBoolean serving = new AtomicBoolean();
    Duration shutdownGrace;
  }
}
