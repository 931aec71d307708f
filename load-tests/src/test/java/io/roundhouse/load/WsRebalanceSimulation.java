package io.roundhouse.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.Simulation;
import io.roundhouse.load.admin.AdminClient;
import io.roundhouse.load.ws.WsHold;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users hold WebSockets through the balancer for {@code hold} seconds and reconnect whenever they
 * are moved (closed with 1012). Mid-run a ws node joins (start one yourself, or let the harness do
 * it); the run passes when the new node ends within {@code tolerance} of its fair share, no user
 * saw any error but the moves it recovered from, and no second moved more connections,
 * cluster-wide, than the balancer's {@code LB_REBALANCE_RATE}. The balancers need {@code
 * LB_REBALANCE=true} and a cluster-wide strategy ({@code least_connections} or {@code
 * power_of_two}): set them at start, or at run time with {@code PATCH /api/settings}.
 */
public class WsRebalanceSimulation extends Simulation {

  private static final Logger LOG = LoggerFactory.getLogger(WsRebalanceSimulation.class);

  private final LoadConfig config = LoadConfig.fromSystemProperties();
  private final AdminClient admin = new AdminClient(config.adminUrl());
  private final Set<String> before = new HashSet<>();

  {
    LOG.info("WebSocket rebalance through the balancer at {}: {}", config.lbWsUrl(), config);
    setUp(
            scenario("ws held")
                .exec(
                    WsHold.hold(
                        URI.create(config.lbWsUrl() + "/ws"), config.hold(), config.timeout()))
                .injectOpen(Simulations.injection(config)),
            scenario("rebalance check")
                .exec(
                    RebalanceCheckAction.of(
                        admin,
                        before,
                        config.users(),
                        config.tolerance(),
                        config.hold().minus(config.timeout())))
                .injectOpen(atOnceUsers(1)))
        .assertions(Simulations.noFailedRequests())
        .maxDuration(config.maxDuration());
  }

  @Override
  public void before() {
    try {
      before.addAll(admin.nodes().service("ws").keySet());
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the ws nodes before the run", e);
    }
    LOG.info("ws nodes before the run: {}", before);
  }
}
