package io.roundhouse.load;

import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Simulation;
import io.roundhouse.load.admin.AdminClient;
import io.roundhouse.load.spread.Counter;
import io.roundhouse.load.spread.SpreadCheck;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /info} through the balancer, each user on its own keep-alive connection, one request
 * per {@code interval} for {@code hold}. Requests are named per serving node ({@code GET /info
 * @ws-2}). Passes when every request got a 200 with a node and the balancer routed the requests
 * evenly over the ws-service nodes.
 */
public class HttpSimulation extends Simulation {

  private static final Logger LOG = LoggerFactory.getLogger(HttpSimulation.class);

  private final LoadConfig config = LoadConfig.fromSystemProperties();
  private final AtomicLong answered = new AtomicLong();
  private final SpreadCheck spread =
      new SpreadCheck(
          new AdminClient(config.adminUrl()),
          "ws",
          Counter.ROUTED,
          SpreadCheck.Expect.EVEN,
          config.tolerance(),
          answered::get,
          0);

  {
    LOG.info("HTTP GET /info through the balancer at {}: {}", config.lbHttpUrl(), config);
    setUp(
            scenario("http via balancer")
                .during(config.hold())
                .on(
                    pace(config.interval())
                        .exec(
                            http("GET /info")
                                .get("/info")
                                .silent()
                                .requestTimeout(config.timeout())
                                .check(
                                    responseTimeInMillis().saveAs(NodeRecordAction.RESPONSE_TIME),
                                    status().saveAs(NodeRecordAction.STATUS),
                                    status().is(200),
                                    jsonPath("$.node").saveAs(Simulations.NODE)))
                        .exec(NodeRecordAction.of("GET /info", answered)))
                .injectOpen(Simulations.injection(config))
                .andThen(Simulations.spreadCheck(spread)))
        .protocols(
            http.baseUrl(config.lbHttpUrl()).acceptHeader("application/json").disableWarmUp())
        .assertions(Simulations.noFailedRequests())
        .maxDuration(config.maxDuration());
  }

  @Override
  public void before() {
    spread.takeBefore();
  }
}
