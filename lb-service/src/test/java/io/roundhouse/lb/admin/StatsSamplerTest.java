package io.roundhouse.lb.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.lb.backend.Backend;
import io.roundhouse.lb.backend.BackendDirectory;
import io.roundhouse.lb.health.CheckFailure;
import io.roundhouse.lb.health.HealthConfig;
import io.roundhouse.lb.health.OutlierDetector;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.stats.FdStats;
import io.roundhouse.stats.LoopStats;
import io.roundhouse.stats.NodeStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsSamplerTest {

  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  private final BackendDirectory directory = new BackendDirectory();
  private final StatsSampler sampler = new StatsSampler("lb-1", directory);

  private Backend up(String id, String service, int port) {
    directory.instanceUp(new ServiceInstance(id, service, "127.0.0.1", port, "member-" + id));
    return directory.all().stream().filter(b -> b.id().equals(id)).findFirst().orElseThrow();
  }

  private static void open(Backend backend, int times) {
    for (int i = 0; i < times; i++) {
      backend.tryOpen(0);
    }
  }

  @Test
  void shouldComputeRateFromGrowthOfRoutedTotalWhenSampledTwice() {
    Backend echo = up("echo-1", "echo", 7001);
    open(echo, 5);
    long t0 = System.nanoTime();
    assertThat(sampler.sample(1_000, t0).nodes().get(0).connectionsPerSecond()).isZero();

    open(echo, 10);
    NodeSample second = sampler.sample(3_000, t0 + 2 * SECOND).nodes().get(0);

    assertThat(second.totalConnections()).isEqualTo(15);
    assertThat(second.connectionsPerSecond()).isEqualTo(5.0);
  }

  @Test
  void shouldShowBothViewsAndTotalsPerServiceWhenNodesReport() {
    Backend echo1 = up("echo-1", "echo", 7001);
    Backend echo2 = up("echo-2", "echo", 7002);
    up("ws-1", "ws", 7101);
    open(echo1, 2);
    open(echo2, 1);
    echo2.closed();
    directory.report(new NodeStats("echo-1", "echo", 2, 9));

    JsonObject json = sampler.sample(1_000, System.nanoTime()).toJson(sampler::history);

    JsonObject echo = json.getJsonObject("services").getJsonObject("echo");
    assertThat(echo.getInteger("nodes")).isEqualTo(2);
    assertThat(echo.getLong("activeConnections")).isEqualTo(2);
    assertThat(echo.getLong("reportedActiveConnections")).isEqualTo(2);
    assertThat(json.getJsonObject("services").getJsonObject("ws").getInteger("nodes")).isEqualTo(1);
    JsonObject first = json.getJsonArray("nodes").getJsonObject(0);
    assertThat(first.getString("id")).isEqualTo("echo-1");
    assertThat(first.getLong("reportedTotalConnections")).isEqualTo(9);
    assertThat(first.getJsonArray("history"))
        .containsExactly(new JsonArray().add(1_000L).add(2L).add(2L));
    JsonObject silentSoFar = json.getJsonArray("nodes").getJsonObject(1);
    assertThat(silentSoFar.getValue("reportedActiveConnections")).isNull();
    assertThat(silentSoFar.getJsonArray("history").getJsonArray(0).getValue(2)).isNull();
  }

  @Test
  void shouldCarryTheNodesOwnLoopsAndFdsWhenItReportsThem() {
    up("echo-1", "echo", 7001);
    up("echo-2", "echo", 7002);
    directory.report(
        new NodeStats(
            "echo-1",
            "echo",
            3,
            5,
            null,
            List.of(new LoopStats("loop-0", 1, 2), new LoopStats("loop-1", 2, 3)),
            new FdStats(40, 1024)));
    directory.report(new NodeStats("echo-2", "echo", 0, 0));

    JsonArray nodes = sampler.sample(1_000, System.nanoTime()).toJson(null).getJsonArray("nodes");

    JsonObject reporting = nodes.getJsonObject(0);
    assertThat(reporting.getJsonArray("reportedLoops"))
        .containsExactly(
            new JsonObject().put("thread", "loop-0").put("active", 1L).put("total", 2L),
            new JsonObject().put("thread", "loop-1").put("active", 2L).put("total", 3L));
    assertThat(reporting.getJsonObject("reportedFds"))
        .isEqualTo(new JsonObject().put("open", 40L).put("max", 1024L));
    JsonObject older = nodes.getJsonObject(1);
    assertThat(older.getJsonArray("reportedLoops")).isEmpty();
    assertThat(older.getValue("reportedFds")).isNull();
  }

  @Test
  void shouldKeepOnlyTheLastFiveMinutesWhenSampledLonger() {
    up("echo-1", "echo", 7001);
    long t0 = System.nanoTime();
    for (int i = 0; i < NodeHistory.CAPACITY + 10; i++) {
      sampler.sample(i * 1_000L, t0 + i * SECOND);
    }
    JsonArray history = sampler.history("echo-1");
    assertThat(history).hasSize(NodeHistory.CAPACITY);
    assertThat(history.getJsonArray(0).getLong(0)).isEqualTo(10_000L);
    assertThat(history.getJsonArray(NodeHistory.CAPACITY - 1).getLong(0))
        .isEqualTo((NodeHistory.CAPACITY + 9) * 1_000L);
  }

  @Test
  void shouldDropNodeAndItsHistoryWhenItLeaves() {
    up("echo-1", "echo", 7001);
    up("echo-2", "echo", 7002);
    sampler.sample(1_000, System.nanoTime());

    directory.instanceDown("echo-2");
    StatsSnapshot after = sampler.sample(2_000, System.nanoTime());

    assertThat(after.nodes()).extracting(NodeSample::id).containsExactly("echo-1");
    assertThat(sampler.history("echo-2")).isEmpty();
    directory.instanceUp(new ServiceInstance("echo-2", "echo", "127.0.0.1", 7002, "m"));
    sampler.sample(3_000, System.nanoTime());
    assertThat(sampler.history("echo-2")).hasSize(1);
  }

  @Test
  void shouldCallNodeSilentWhenItsLastReportIsOlderThanThreeSeconds() {
    Backend echo = up("echo-1", "echo", 7001);
    directory.report(new NodeStats("echo-1", "echo", 0, 0));
    long now = System.nanoTime();
    echo.health().checkPassed(now, 1_000_000);

    assertThat(Health.of(echo, now)).isEqualTo(Health.UP);
    assertThat(Health.of(echo, now + Health.SILENT_AFTER.toNanos() + SECOND))
        .isEqualTo(Health.SILENT);
  }

  @Test
  void shouldCallNodeCheckingUntilItsFirstCheckPassesThenUp() {
    Backend echo = up("echo-1", "echo", 7001);
    long now = System.nanoTime();

    NodeSample before = sampler.sample(1_000, now).nodes().get(0);
    echo.health().checkPassed(now, 1_000_000);
    NodeSample after = sampler.sample(2_000, now).nodes().get(0);

    assertThat(before.health()).isEqualTo(Health.CHECKING);
    assertThat(before.reason()).isEqualTo("no check yet");
    assertThat(after.health()).isEqualTo(Health.UP);
    assertThat(after.reason()).isEqualTo("ok");
  }

  @Test
  void shouldCallNodeDownWithTheChecksReasonWhenItsChecksFail() {
    Backend echo = up("echo-1", "echo", 7001);
    long now = System.nanoTime();
    echo.health().checkFailed(now, "connection refused", 1_000);
    echo.health().checkFailed(now, "connection refused", 1_000);

    NodeSample node = sampler.sample(1_000, now).nodes().get(0);

    assertThat(node.health()).isEqualTo(Health.DOWN);
    assertThat(node.reason()).isEqualTo("connection refused");
    assertThat(node.toJson().getString("health")).isEqualTo("down");
  }

  @Test
  void shouldCallNodeEjectedWithTheFailureWhenOutlierDetectionEjectsIt() {
    Backend echo = up("echo-1", "echo", 7001);
    up("echo-2", "echo", 7002);
    OutlierDetector detector = new OutlierDetector(directory.healthConfig(), directory::live);
    for (int i = 0; i < HealthConfig.DEFAULT_OUTLIER_CONSECUTIVE; i++) {
      detector.failed(echo, new CheckFailure("HTTP 502"));
    }

    NodeSample node = sampler.sample(1_000, System.nanoTime()).nodes().get(0);

    assertThat(node.health()).isEqualTo(Health.EJECTED);
    assertThat(node.reason()).startsWith("HTTP 502, back in ");
  }
}
