package io.roundhouse.lb;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.lb.backend.BackendConnector;
import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.lb.balance.BalancingStrategy;
import io.roundhouse.lb.balance.Strategies;
import io.roundhouse.lb.health.HealthCheckVerticle;
import io.roundhouse.lb.settings.Tunables;
import io.roundhouse.lb.shed.ShedVerticle;
import io.roundhouse.lb.udp.UdpFrontendVerticle;
import io.roundhouse.lb.udp.UdpMeters;
import io.roundhouse.runtime.ScaledDeployment;
import io.roundhouse.runtime.ScaledDeployment.Deployed;
import io.vertx.core.Future;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pieces of {@link LbService}'s start chain that are optional or built from settings. */
final class LbWiring {

  private static final Logger LOG = LoggerFactory.getLogger(LbWiring.class);

  private LbWiring() {}

  /** Puts run-time settings in force: the connector's for new dials, the rebalancer's. */
  static Consumer<Tunables> retuner(BackendConnector connector, ShedVerticle shed) {
    Map<Strategies, Supplier<BalancingStrategy>> factories = new EnumMap<>(Strategies.class);
    for (Strategies s : Strategies.values()) {
      factories.put(s, s::create);
    }
    return t -> {
      connector.retune(factories.get(t.strategy()), t.backendMaxConnections(), t.queueTimeout());
      shed.retune(t.shed());
    };
  }

  /** One UDP frontend verticle (a flow table is per socket), or none when {@code LB_UDP} is off. */
  static Future<Deployed> startUdp(
      ClusterNode node, LbConfig config, BackendConnector connector, FrontendCounters counters) {
    if (!config.udp().enabled()) {
      LOG.info("The UDP frontend is off (LB_UDP)");
      return Future.succeededFuture(null);
    }
    UdpMeters meters = new UdpMeters(node.metrics().registry());
    return ScaledDeployment.deploy(
        node.vertx(),
        config.udp().port(),
        1,
        port ->
            new UdpFrontendVerticle(
                config.udp(),
                config.host(),
                port,
                connector,
                meters,
                counters.udp(),
                counters.connections()));
  }

  static Future<String> startChecks(ClusterNode node, LbConfig config, BackendDirectory directory) {
    if (!config.health().checks()) {
      LOG.info("Active health checks are off (LB_HEALTH_CHECKS)");
      return Future.succeededFuture(null);
    }
    return node.vertx().deployVerticle(new HealthCheckVerticle(config.health(), directory::all));
  }
}
