package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.echo.EchoService;
import io.roundhouse.testing.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's feed over real sockets: the JSON snapshot, the event stream, the page. */
class StatsFeedIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static ClusterFixture fixture;
  private static LbService lb;

  @BeforeAll
  static void startCluster() {
    fixture = new ClusterFixture();
    for (int i = 1; i <= 3; i++) {
      fixture.echo("echo-" + i);
    }
    lb = fixture.lb();
    fixture.awaitNodes(lb, "echo", nodes -> nodes.size() == 3);
  }

  @AfterAll
  static void stopCluster() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static JsonObject stats() {
    return fixture.get(lb.adminPort(), "/api/stats");
  }

  private static Map<String, JsonObject> byId(JsonObject stats) {
    return stats.getJsonArray("nodes").stream()
        .map(JsonObject.class::cast)
        .collect(Collectors.toMap(n -> n.getString("id"), n -> n));
  }

  private static Set<String> ids(JsonObject stats) {
    return new HashSet<>(byId(stats).keySet());
  }

  @Test
  void shouldShowEachNodesConnectionsAsBalancerAndNodeSeeThemWhenClientsAreConnected()
      throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Socket s = TcpClients.connect(lb.tcpPort());
        TcpClients.roundTrip(s, "hello " + i);
        sockets.add(s);
      }
      Predicate<JsonObject> oneEach =
          n -> n.getLong("activeConnections") == 1 && n.getLong("reportedActiveConnections") == 1;
      // The snapshot that shows it is the one asserted on: a node's own count also includes the
      // balancer's health checks, each open for an instant.
      AtomicReference<JsonObject> shown = new AtomicReference<>();
      Eventually.until(
          WAIT,
          "every node reports one connection",
          () -> {
            shown.set(stats());
            return byId(shown.get()).values().stream().allMatch(oneEach);
          });

      JsonObject stats = shown.get();
      assertThat(stats.getString("balancer")).isEqualTo("lb-1");
      assertThat(stats.getLong("intervalMs")).isEqualTo(1_000L);
      JsonObject echo = stats.getJsonObject("services").getJsonObject("echo");
      assertThat(echo.getInteger("nodes")).isEqualTo(3);
      assertThat(echo.getLong("activeConnections")).isEqualTo(3);
      assertThat(echo.getLong("reportedActiveConnections")).isEqualTo(3);
      assertThat(stats.getJsonObject("services").getJsonObject("ws").getInteger("nodes")).isZero();
      for (JsonObject node : byId(stats).values()) {
        assertThat(node.getString("health")).isEqualTo("up");
        assertThat(node.getString("host")).isEqualTo("127.0.0.1");
        assertThat(node.getLong("totalConnections")).isGreaterThanOrEqualTo(1);
        JsonArray history = node.getJsonArray("history");
        assertThat(history).isNotEmpty();
        JsonArray newest = history.getJsonArray(history.size() - 1);
        assertThat(newest.getLong(1)).isEqualTo(1L);
        assertThat(newest.getLong(2)).isEqualTo(1L);
      }
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
    Eventually.until(
        WAIT,
        "every node reports its connections",
        () ->
            byId(stats()).values().stream()
                .allMatch(
                    n ->
                        n.getLong("activeConnections") == 0
                            && n.getLong("reportedActiveConnections") == 0));
  }

  @Test
  void shouldStreamSamplesToTwoDashboardsAndUnsubscribeEachWhenItDisconnects() throws Exception {
    try (EventStreamClient first =
            EventStreamClient.open(lb.adminPort(), "/api/stats/stream", "stats");
        EventStreamClient second =
            EventStreamClient.open(lb.adminPort(), "/api/stats/stream", "stats")) {
      assertThat(first.response().statusCode()).isEqualTo(200);
      assertThat(first.response().headers().firstValue("content-type").orElse(""))
          .startsWith("text/event-stream");
      for (EventStreamClient stream : List.of(first, second)) {
        JsonObject a = stream.await(e -> ids(e).size() == 3, WAIT);
        JsonObject b = stream.await(e -> e.getLong("timestamp") > a.getLong("timestamp"), WAIT);
        assertThat(b.getJsonArray("nodes").getJsonObject(0).containsKey("history")).isFalse();
        assertThat(b.getJsonObject("services").getJsonObject("echo").getInteger("nodes"))
            .isEqualTo(3);
      }
      Eventually.until(WAIT, "two streams are open", () -> stats().getInteger("streams") == 2);

      first.close();
      Eventually.until(WAIT, "one stream is open", () -> stats().getInteger("streams") == 1);
      JsonObject afterwards = second.await(e -> e.getInteger("streams") == 1, WAIT);
      assertThat(ids(afterwards)).hasSize(3);
    }
    Eventually.until(WAIT, "no stream is open", () -> stats().getInteger("streams") == 0);
  }

  @Test
  void shouldDropNodeFromSnapshotAndStreamWhenItLeaves() throws Exception {
    try (EventStreamClient stream =
        EventStreamClient.open(lb.adminPort(), "/api/stats/stream", "stats")) {
      EchoService extra = fixture.echo("echo-4");
      stream.await(e -> ids(e).contains("echo-4"), WAIT);

      fixture.stop(extra);

      stream.await(e -> ids(e).equals(Set.of("echo-1", "echo-2", "echo-3")), WAIT);
      assertThat(ids(stats())).containsExactlyInAnyOrder("echo-1", "echo-2", "echo-3");
    }
  }

  @Test
  void shouldServeDashboardAndChartLibraryFromTheAdminPortWhenBrowsing() {
    TestClients.Reply page = fixture.http(lb.adminPort(), "/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("/dashboard.js", "/vendor/uplot/uPlot.iife.min.js");
    assertThat(fixture.http(lb.adminPort(), "/dashboard.js").body()).contains("EventSource");
    TestClients.Reply uplot = fixture.http(lb.adminPort(), "/vendor/uplot/uPlot.iife.min.js");
    assertThat(uplot.status()).isEqualTo(200);
    assertThat(uplot.body()).contains("uPlot");
    assertThat(fixture.http(lb.adminPort(), "/vendor/uplot/uPlot.min.css").status()).isEqualTo(200);
    assertThat(fixture.http(lb.adminPort(), "/vendor/uplot/../../LICENSE").status())
        .isNotEqualTo(200);
    // The older API keeps its shape.
    assertThat(fixture.nodes(lb).getJsonObject(0).fieldNames())
        .contains("healthy", "failedConnects", "reportedActiveConnections");
  }
}
