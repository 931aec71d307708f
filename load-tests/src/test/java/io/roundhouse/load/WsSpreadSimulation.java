package io.roundhouse.load;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Simulation;
import io.roundhouse.load.admin.AdminClient;
import io.roundhouse.load.spread.Counter;
import io.roundhouse.load.spread.SpreadCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket users through the balancer ({@code ws://host:lbHttpPort/ws}); passes when every echo
 * came back and the balancer spread the connections evenly over the ws-service nodes.
 */
public class WsSpreadSimulation extends Simulation {

  private static final Logger LOG = LoggerFactory.getLogger(WsSpreadSimulation.class);

  private final LoadConfig config = LoadConfig.fromSystemProperties();
  private final SpreadCheck spread =
      new SpreadCheck(
          new AdminClient(config.adminUrl()),
          "ws",
          Counter.ROUTED,
          SpreadCheck.Expect.EVEN,
          config.tolerance(),
          config::users,
          0);

  {
    LOG.info("WebSocket spread through the balancer at {}: {}", config.lbWsUrl(), config);
    setUp(
            Simulations.wsEcho("ws via balancer", config)
                .injectOpen(Simulations.injection(config))
                .andThen(Simulations.spreadCheck(spread)))
        .protocols(http.wsBaseUrl(config.lbWsUrl()).disableWarmUp())
        .assertions(Simulations.noFailedRequests())
        .maxDuration(config.maxDuration());
  }

  @Override
  public void before() {
    spread.takeBefore();
  }
}
