package io.roundhouse.load;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Simulation;
import io.roundhouse.load.admin.AdminClient;
import io.roundhouse.load.spread.Counter;
import io.roundhouse.load.spread.SpreadCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same WebSocket users as {@link WsSpreadSimulation}, straight to one ws-service node ({@code
 * ws://host:wsPort/ws}), no balancer: the baseline. Passes when one node took (nearly) all
 * connections, as the nodes themselves report them, so it fails if a balancer sneaks in.
 */
public class WsPileUpSimulation extends Simulation {

  private static final Logger LOG = LoggerFactory.getLogger(WsPileUpSimulation.class);

  private final LoadConfig config = LoadConfig.fromSystemProperties();
  private final SpreadCheck spread =
      new SpreadCheck(
          new AdminClient(config.adminUrl()),
          "ws",
          Counter.REPORTED,
          SpreadCheck.Expect.ONE_NODE,
          config.tolerance(),
          config::users,
          config.wsPort());

  {
    LOG.info("WebSocket pile-up on one node at {}: {}", config.directWsUrl(), config);
    setUp(
            Simulations.wsEcho("ws direct", config)
                .injectOpen(Simulations.injection(config))
                .andThen(Simulations.spreadCheck(spread)))
        .protocols(http.wsBaseUrl(config.directWsUrl()).disableWarmUp())
        .assertions(Simulations.noFailedRequests())
        .maxDuration(config.maxDuration());
  }

  @Override
  public void before() {
    spread.takeBefore();
  }
}
