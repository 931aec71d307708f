package io.roundhouse.load;

import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.Simulation;
import io.roundhouse.load.admin.AdminClient;
import io.roundhouse.load.spread.Counter;
import io.roundhouse.load.spread.SpreadCheck;
import io.roundhouse.load.udp.Udp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP users through the balancer's UDP port: each opens a socket of its own (so a flow of its own,
 * pinned to one echo node), sends {@code messages} datagrams of {@code size} random bytes one
 * {@code interval} apart, each checked byte for byte, and closes. Passes when every datagram came
 * back and the balancer spread the flows evenly over the echo-service nodes (its per-backend counts
 * include flows).
 */
public class UdpEchoSimulation extends Simulation {

  private static final Logger LOG = LoggerFactory.getLogger(UdpEchoSimulation.class);

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
        "UDP echo through the balancer at {}:{}: {}", config.host(), config.lbUdpPort(), config);
    setUp(
            scenario("udp via balancer")
                .exec(Udp.open(config.host(), config.lbUdpPort()))
                .exitHereIfFailed()
                .repeat(config.messages())
                .on(
                    pace(config.interval())
                        .exec(Udp.echo(config.size(), config.timeout()))
                        .exitHereIfFailed())
                .exec(Udp.close())
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
