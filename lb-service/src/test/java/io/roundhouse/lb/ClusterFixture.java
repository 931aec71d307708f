package io.roundhouse.lb;

import io.roundhouse.cluster.ClusterConfig;
import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.cluster.MembershipConfig;
import io.roundhouse.config.Settings;
import io.roundhouse.echo.EchoConfig;
import io.roundhouse.echo.EchoService;
import io.roundhouse.runtime.Launcher;
import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.PrometheusText;
import io.roundhouse.testing.TestCluster;
import io.roundhouse.ws.WsConfig;
import io.roundhouse.ws.WsService;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real cluster for one test class: every service on its own cluster member (own Vert.x, own
 * Hazelcast) in this JVM, on ports picked by the OS, plus a plain Vert.x for the test's clients.
 */
final class ClusterFixture implements AutoCloseable {

  final TestCluster cluster;
  final Vertx clients = Vertx.vertx();
  private final TestClients testClients = new TestClients(clients);
  private final List<Launcher.Running> running = new ArrayList<>();

  ClusterFixture() {
    this(MembershipConfig.DEFAULT, TestCluster.PORT_COUNT);
  }

  /**
   * Every member, in this JVM or a process started with {@link #settings}, uses these timings and
   * probes {@code portCount} Hazelcast ports.
   */
  ClusterFixture(MembershipConfig membership, int portCount) {
    cluster = TestCluster.create(membership, portCount);
  }

  Map<String, String> settings(String nodeId, Map<String, String> extra) {
    ClusterConfig c = cluster.config();
    Map<String, String> env = new HashMap<>();
    env.put("NODE_ID", nodeId);
    env.put("CLUSTER_NAME", c.clusterName());
    env.put("CLUSTER_PORT", String.valueOf(c.port()));
    env.put("CLUSTER_PORT_COUNT", String.valueOf(c.portCount()));
    MembershipConfig m = c.membership();
    env.put("CLUSTER_HEARTBEAT_INTERVAL", m.heartbeatInterval().toMillis() + "ms");
    env.put("CLUSTER_HEARTBEAT_TIMEOUT", m.heartbeatTimeout().toMillis() + "ms");
    env.put("CLUSTER_MERGE_INTERVAL", m.mergeInterval().toMillis() + "ms");
    env.put("REGISTRY_REFRESH_INTERVAL", m.registryRefresh().toMillis() + "ms");
    // Stops in tests need not wait the production drain for connections a test left open.
    env.put("SHUTDOWN_GRACE", "2s");
    env.putAll(extra);
    return env;
  }

  EchoService echo(String nodeId) {
    return echo(nodeId, Map.of());
  }

  /** An echo node with {@code extra} settings over the defaults (one listener, ports 0). */
  EchoService echo(String nodeId, Map<String, String> extra) {
    Map<String, String> env =
        new HashMap<>(Map.of("ECHO_PORT", "0", "ECHO_INSTANCES", "1", "ECHO_ADMIN_PORT", "0"));
    env.putAll(extra);
    EchoConfig config = EchoConfig.from(Settings.of(settings(nodeId, env)));
    ClusterNode node = cluster.join(nodeId, "echo");
    return track(EchoService.start(node, config).timeout(30, TimeUnit.SECONDS).await());
  }

  WsService ws(String nodeId) {
    return ws(nodeId, Map.of());
  }

  /** A ws node with {@code extra} settings over the defaults (one listener, port 0). */
  WsService ws(String nodeId, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("WS_PORT", "0", "WS_INSTANCES", "1"));
    env.putAll(extra);
    WsConfig config = WsConfig.from(Settings.of(settings(nodeId, env)));
    ClusterNode node = cluster.join(nodeId, "ws");
    return track(WsService.start(node, config).timeout(30, TimeUnit.SECONDS).await());
  }

  LbService lb(Map<String, String> extra) {
    return lb("lb-1", extra);
  }

  /** Another balancer of the same cluster, with its own id and ports. */
  LbService lb(String nodeId, Map<String, String> extra) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "LB_HOST", "127.0.0.1",
                "LB_TCP_PORT", "0",
                "LB_HTTP_PORT", "0",
                "LB_ADMIN_PORT", "0",
                "LB_INSTANCES", "2"));
    env.putAll(extra);
    LbConfig config = LbConfig.from(Settings.of(settings(nodeId, env)));
    ClusterNode node = cluster.join(nodeId, LbService.SERVICE);
    return track(LbService.start(node, config).timeout(30, TimeUnit.SECONDS).await());
  }

  LbService lb() {
    return lb(Map.of());
  }

  private <T extends Launcher.Running> T track(T service) {
    running.add(service);
    return service;
  }

  /** Stops a service and leaves the cluster, as a graceful shutdown does. */
  void stop(Launcher.Running service) {
    running.remove(service);
    service.stop().timeout(30, TimeUnit.SECONDS).await();
    service.node().close().timeout(30, TimeUnit.SECONDS).await();
  }

  /** The blocking clients for the admin API's other methods. */
  TestClients testClients() {
    return testClients;
  }

  /** GETs with the JDK's blocking client; see {@link TestClients#http}. */
  TestClients.Reply http(int port, String path, String... headers) {
    return testClients.http(port, path, headers);
  }

  /** Attempts a WebSocket upgrade on {@code port}; returns the refusal it must get. */
  UpgradeRejectedException rejectedUpgrade(int port, String path) {
    return testClients.rejectedUpgrade(port, path);
  }

  /** Scrapes {@code /metrics} and reads one sample; fails if it is missing. */
  double metric(int port, String name, Map<String, String> labels) {
    TestClients.Reply reply = http(port, "/metrics");
    if (reply.status() != 200) {
      throw new AssertionError("GET /metrics answered " + reply.status());
    }
    return PrometheusText.value(reply.body(), name, labels)
        .orElseThrow(() -> new AssertionError(name + labels + " not scraped"));
  }

  /** Whether one sample is in a scrape of {@code /metrics}. */
  boolean hasMetric(int port, String name, Map<String, String> labels) {
    return PrometheusText.value(http(port, "/metrics").body(), name, labels).isPresent();
  }

  /** GETs JSON from an admin port. */
  JsonObject get(int port, String path) {
    TestClients.Reply reply = http(port, path);
    if (reply.status() != 200) {
      throw new AssertionError("GET " + path + " answered " + reply.status());
    }
    return reply.json();
  }

  JsonArray nodes(LbService lb) {
    return get(lb.adminPort(), "/api/nodes").getJsonArray("nodes");
  }

  /** The admin API's entries for one service, keyed by node id. */
  Map<String, JsonObject> nodesOf(LbService lb, String service) {
    Map<String, JsonObject> out = new HashMap<>();
    nodes(lb).stream()
        .map(JsonObject.class::cast)
        .filter(n -> service.equals(n.getString("service")))
        .forEach(n -> out.put(n.getString("id"), n));
    return out;
  }

  /** Waits, with a generous deadline, until the admin API satisfies {@code condition}. */
  void awaitNodes(LbService lb, String service, Predicate<Map<String, JsonObject>> condition) {
    Eventually.until(
        Duration.ofSeconds(20),
        "the balancer lists the expected nodes",
        () -> condition.test(nodesOf(lb, service)));
  }

  @Override
  public void close() {
    for (Launcher.Running service : List.copyOf(running)) {
      try {
        service.stop().timeout(30, TimeUnit.SECONDS).await();
      } catch (RuntimeException e) {
        // keep closing the rest
      }
      try {
        service.node().close().timeout(30, TimeUnit.SECONDS).await();
      } catch (RuntimeException e) {
        // keep closing the rest
      }
    }
    running.clear();
    clients.close().timeout(30, TimeUnit.SECONDS).await();
  }
}
