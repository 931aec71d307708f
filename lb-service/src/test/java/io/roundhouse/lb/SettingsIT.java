package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.Eventually;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Settings changed at run time through one balancer's admin API: every balancer runs with them, one
 * started later too, a held connection is not touched, and a bad change changes nothing.
 */
class SettingsIT {

  private static ClusterFixture fixture;
  private static LbService a;
  private static LbService b;

  @BeforeAll
  static void start() {
    fixture = new ClusterFixture();
    fixture.echo("echo-1");
    a = fixture.lb("lb-a", Map.of());
    b = fixture.lb("lb-b", Map.of());
    fixture.awaitNodes(a, "echo", nodes -> nodes.size() == 1);
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static JsonObject settings(LbService lb) {
    return fixture.get(lb.adminPort(), "/api/settings").getJsonObject("settings");
  }

  @Test
  void shouldApplyAChangeOnEveryBalancerAndKeepHeldConnectionsWhenPatched() throws Exception {
    try (Socket held = TcpClients.connect(a.tcpPort())) {
      TcpClients.roundTrip(held, "before");

      TestClients.Reply reply =
          fixture
              .testClients()
              .patch(
                  a.adminPort(),
                  "/api/settings",
                  "{\"LB_STRATEGY\":\"power_of_two\",\"LB_REBALANCE_RATE\":7}");

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getJsonObject("settings").getString("LB_STRATEGY"))
          .isEqualTo("power_of_two");
      Eventually.until(
          Duration.ofSeconds(10),
          "balancer b runs with the change",
          () ->
              settings(b).getString("LB_STRATEGY").equals("power_of_two")
                  && settings(b).getString("LB_REBALANCE_RATE").equals("7"));
      assertThat(fixture.get(b.adminPort(), "/api/rebalance").getInteger("movesPerSecond"))
          .isEqualTo(7);
      TcpClients.roundTrip(held, "after");
      try (Socket fresh = TcpClients.connect(b.tcpPort())) {
        TcpClients.roundTrip(fresh, "new connection, new strategy");
      }

      LbService late = fixture.lb("lb-late", Map.of());
      assertThat(settings(late).getString("LB_STRATEGY")).isEqualTo("power_of_two");
      fixture.stop(late);
    } finally {
      fixture
          .testClients()
          .patch(
              a.adminPort(), "/api/settings", "{\"LB_STRATEGY\":null,\"LB_REBALANCE_RATE\":null}");
    }
    Eventually.until(
        Duration.ofSeconds(10),
        "dropping the overrides brings back the start-up values",
        () -> settings(b).getString("LB_STRATEGY").equals("round_robin"));
  }

  @Test
  void shouldRefuseWithA400AndChangeNothingWhenASettingIsUnknownOrBad() {
    TestClients.Reply unknown =
        fixture.testClients().patch(a.adminPort(), "/api/settings", "{\"LB_TCP_PORT\":\"1\"}");
    TestClients.Reply bad =
        fixture
            .testClients()
            .patch(
                a.adminPort(),
                "/api/settings",
                "{\"LB_STRATEGY\":\"power_of_two\",\"LB_REBALANCE_TOLERANCE\":\"500\"}");
    TestClients.Reply notJson =
        fixture.testClients().patch(a.adminPort(), "/api/settings", "strategy=fast");

    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().getString("error")).contains("LB_TCP_PORT");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getString("error")).contains("LB_REBALANCE_TOLERANCE");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(settings(a).getString("LB_STRATEGY")).isEqualTo("round_robin");
    assertThat(fixture.get(a.adminPort(), "/api/settings").getJsonObject("overrides")).isEmpty();
  }
}
