package io.roundhouse.load;

import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.Simulation;
import io.roundhouse.load.admin.AdminClient;
import io.roundhouse.load.spread.Counter;
import io.roundhouse.load.spread.SpreadCheck;
import io.roundhouse.load.tcp.Tcp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raw TCP users through the balancer's TCP port: connect, {@code messages} echo round trips of
 * {@code size} random bytes one {@code interval} apart, each checked byte for byte, close. Passes
 * when every echo came back and the balancer spread the connections evenly over the echo-service
 * nodes (the serving node is not visible in-band, so there are no per-node rows here: see the
 * spread table).
 */
public class TcpEchoSimulation extends Simulation {

  private static final Logger LOG = LoggerFactory.getLogger(TcpEchoSimulation.class);

  private final LoadConfig config = LoadConfig.fromSystemProperties();
  private final SpreadCheck spread =
      new SpreadCheck(
          new AdminClient(config.adminUrl()),
          "echo",
          Counter.ROUTED,
          SpreadCheck.Expect.EVEN,
          config.tolerance(),
          config::users,
          0);

  {
    LOG.info(
        "TCP echo through the balancer at {}:{}: {}", config.host(), config.lbTcpPort(), config);
    setUp(
            scenario("tcp via balancer")
                .exec(Tcp.connect(config.host(), config.lbTcpPort(), config.timeout()))
                .exitHereIfFailed()
                .repeat(config.messages())
                .on(
                    pace(config.interval())
                        .exec(Tcp.echo(config.size(), config.timeout()))
                        .exitHereIfFailed())
                .exec(Tcp.close())
                .injectOpen(Simulations.injection(config))
                .andThen(Simulations.spreadCheck(spread)))
        .assertions(Simulations.noFailedRequests())
        .maxDuration(config.maxDuration());
  }

  @Override
  public void before() {
    spread.takeBefore();
  }
}
