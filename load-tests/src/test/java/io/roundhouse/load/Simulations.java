package io.roundhouse.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.roundhouse.load.spread.SpreadCheck;
import java.time.Duration;

/** What the simulations share: the WebSocket echo scenario, injection, gates. */
final class Simulations {

  /** Session attribute with the node that serves the user (from the welcome frame). */
  static final String NODE = "node";

  private static final String SEQ = "seq";

  private Simulations() {}

  /**
   * Open a WebSocket, learn the serving node from the welcome frame, echo a message every interval
   * for the hold time, close. Echo rows are named per node: {@code ws echo @ws-2}.
   */
  static ScenarioBuilder wsEcho(String name, LoadConfig config) {
    Duration timeout = config.timeout();
    return scenario(name)
        .exec(
            ws("ws connect")
                .connect("/ws")
                .await(timeout)
                .on(
                    ws.checkTextMessage("ws welcome")
                        .check(jsonPath("$.type").is("welcome"), jsonPath("$.node").saveAs(NODE))))
        .exitHereIfFailed()
        .during(config.hold(), SEQ)
        .on(
            pace(config.interval())
                .exec(
                    ws("ws send @#{node}")
                        .sendText(s -> message(s, config.size()))
                        .await(timeout)
                        .on(
                            ws.checkTextMessage("ws echo @#{node}")
                                .check(bodyString().is(s -> message(s, config.size()))))))
        .exec(ws("ws close").close());
  }

  /** A text message of {@code size} characters, unique per user and round. */
  static String message(Session session, int size) {
    String head = "user " + session.userId() + " #" + session.getInt(SEQ) + " ";
    StringBuilder text = new StringBuilder(size).append(head, 0, Math.min(head.length(), size));
    while (text.length() < size) {
      text.append((char) ('a' + text.length() % 26));
    }
    return text.toString();
  }

  static OpenInjectionStep injection(LoadConfig config) {
    return config.ramp().isZero()
        ? atOnceUsers(config.users())
        : rampUsers(config.users()).during(config.ramp());
  }

  /** One user that checks the spread once the load is over. */
  static PopulationBuilder spreadCheck(SpreadCheck check) {
    return scenario(SpreadCheckAction.NAME)
        .exec(SpreadCheckAction.of(check))
        .injectOpen(atOnceUsers(1));
  }

  /** Any failed request fails the run; the spread check is one of the requests. */
  static Assertion noFailedRequests() {
    return global().failedRequests().count().is(0L);
  }
}
