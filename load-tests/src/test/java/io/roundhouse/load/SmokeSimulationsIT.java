package io.roundhouse.load;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import io.gatling.app.Gatling$;
import io.roundhouse.load.admin.NodeStats;
import io.roundhouse.testing.Eventually;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Starts a cluster of its own (1 lb, 3 echo, 3 ws JVMs from the packaged jars) and runs the
 * simulations against it for a few seconds each, in this JVM, as CI's smoke test of the simulations
 * and of the balancer's spread.
 */
class SmokeSimulationsIT {

  private static final Path LOGS =
      Path.of(System.getProperty("roundhouse.it.logs", "target/it-logs"));
  private static final Path RESULTS =
      Path.of(System.getProperty("roundhouse.it.results", "target/gatling-it"));

  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = LocalCluster.start(3, 3, LOGS);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void shouldPassWsSpreadWhenTheBalancerSpreadsConnectionsEvenly() throws Exception {
    Run run = gatling(WsSpreadSimulation.class, smokeLoad());

    assertThat(run.exitCode()).as("Gatling's exit code").isZero();
    assertThat(run.report()).isRegularFile();
  }

  @Test
  void shouldPassTcpEchoWhenTheBalancerSpreadsConnectionsEvenly() throws Exception {
    Map<String, String> load = smokeLoad();
    load.put("messages", "4");
    Run run = gatling(TcpEchoSimulation.class, load);

    assertThat(run.exitCode()).as("Gatling's exit code").isZero();
    assertThat(run.report()).isRegularFile();
  }

  @Test
  void shouldPassUdpEchoWhenTheBalancerSpreadsFlowsEvenly() throws Exception {
    Map<String, String> load = smokeLoad();
    load.put("messages", "4");
    load.put("lbUdpPort", Integer.toString(cluster.udpPort()));
    Run run = gatling(UdpEchoSimulation.class, load);

    assertThat(run.exitCode()).as("Gatling's exit code").isZero();
    assertThat(run.report()).isRegularFile();
  }

  @Test
  void shouldPassPileUpWhenUsersConnectToOneNodeDirectly() throws Exception {
    Map<String, String> load = smokeLoad();
    load.put("wsPort", Integer.toString(aWsNode().port()));
    Run run = gatling(WsPileUpSimulation.class, load);

    assertThat(run.exitCode()).as("Gatling's exit code").isZero();
    assertThat(run.report()).isRegularFile();
  }

  @Test
  void shouldFailPileUpWhenTheBalancerSpreadsTheConnections() throws Exception {
    // The pile-up pointed at the balancer: its spread check must fail the run.
    Map<String, String> load = smokeLoad();
    load.put("wsPort", Integer.toString(cluster.httpPort()));
    Run run = gatling(WsPileUpSimulation.class, load);

    assertThat(run.exitCode()).as("Gatling's exit code").isNotZero();
    assertThat(run.report()).isRegularFile();
  }

  @Test
  void shouldPassWsRebalanceWhenANodeJoinsWhileUsersHoldTheirWebSockets() throws Exception {
    settings(
        "{\"LB_STRATEGY\":\"least_connections\",\"LB_REBALANCE\":\"true\","
            + "\"LB_REBALANCE_RATE\":\"5\",\"LB_REBALANCE_INTERVAL\":\"500ms\","
            + "\"LB_REBALANCE_JITTER\":\"300ms\"}");
    Map<String, String> load = smokeLoad();
    load.put("users", "40");
    load.put("ramp", "0");
    load.put("hold", "20");
    // Once every user holds its WebSocket, a fourth ws node joins.
    CompletableFuture<io.roundhouse.testing.ServiceProcess> joined =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                Eventually.until(
                    Duration.ofSeconds(30),
                    "every user holds its WebSocket",
                    () -> heldWebSockets() == 40);
                return cluster.join("ws-4");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    try {
      Run run = gatling(WsRebalanceSimulation.class, load);

      assertThat(joined.get()).isNotNull();
      assertThat(run.exitCode()).as("Gatling's exit code").isZero();
      assertThat(run.report()).isRegularFile();
    } finally {
      settings(
          "{\"LB_STRATEGY\":null,\"LB_REBALANCE\":null,\"LB_REBALANCE_RATE\":null,"
              + "\"LB_REBALANCE_INTERVAL\":null,\"LB_REBALANCE_JITTER\":null}");
      cluster.leave(joined.get());
    }
  }

  /** The WebSockets the balancer holds to ws nodes now. */
  private static long heldWebSockets() {
    try {
      return cluster.admin().nodes().service("ws").values().stream()
          .mapToLong(NodeStats::activeConnections)
          .sum();
    } catch (Exception e) {
      return -1;
    }
  }

  /** Changes the balancer's settings at run time ({@code PATCH /api/settings}). */
  private static void settings(String json) throws Exception {
    HttpResponse<String> response =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .build()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + cluster.adminPort() + "/api/settings"))
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("PATCH /api/settings: %s", response.body()).isEqualTo(200);
  }

  /** Tens of users for a few seconds: enough to see the spread, light on two cores. */
  private static Map<String, String> smokeLoad() {
    Map<String, String> load = new HashMap<>();
    load.put("users", "30");
    load.put("ramp", "1");
    load.put("hold", "2");
    load.put("interval", "0.5");
    load.put("size", "64");
    load.put("timeout", "5");
    load.put("tolerance", "0.10");
    load.put("host", "127.0.0.1");
    load.put("lbHttpPort", Integer.toString(cluster.httpPort()));
    load.put("lbTcpPort", Integer.toString(cluster.tcpPort()));
    load.put("adminPort", Integer.toString(cluster.adminPort()));
    return load;
  }

  private static NodeStats aWsNode() throws Exception {
    return cluster.admin().nodes().service("ws").values().iterator().next();
  }

  private record Run(int exitCode, Path report) {}

  /**
   * Runs one simulation in this JVM with {@code properties} as system properties (restored after),
   * through Gatling's command-line entry point minus its System.exit.
   */
  private static Run gatling(Class<?> simulation, Map<String, String> properties)
      throws IOException {
    Files.createDirectories(RESULTS);
    Set<Path> before = runDirectories();
    Map<String, String> previous = new HashMap<>();
    properties.forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
    int exitCode;
    try {
      exitCode =
          Gatling$.MODULE$.fromArgs(
              new String[] {
                "--simulation", simulation.getName(),
                "--results-folder", RESULTS.toAbsolutePath().toString(),
                "--run-description", "smoke test"
              });
    } finally {
      restartLogging();
      previous.forEach(
          (k, v) -> {
            if (v == null) {
              System.clearProperty(k);
            } else {
              System.setProperty(k, v);
            }
          });
    }
    List<Path> created = runDirectories().stream().filter(d -> !before.contains(d)).toList();
    assertThat(created).as("the run's report directory under %s", RESULTS).hasSize(1);
    return new Run(exitCode, created.get(0).resolve("index.html"));
  }

  /** Gatling stops logback when a run ends (its JVM is about to exit): start it again. */
  private static void restartLogging() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback
        && !logback.isStarted()) {
      logback.reset();
      try {
        new ContextInitializer(logback).autoConfig();
      } catch (JoranException e) {
        throw new IllegalStateException("cannot configure logback again", e);
      }
    }
  }

  private static Set<Path> runDirectories() throws IOException {
    try (Stream<Path> dirs = Files.list(RESULTS)) {
      return dirs.filter(Files::isDirectory).collect(Collectors.toSet());
    }
  }
}
