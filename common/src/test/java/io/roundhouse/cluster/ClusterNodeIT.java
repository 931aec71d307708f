package io.roundhouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.roundhouse.metrics.MetricsConfig;
import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.Nodes;
import io.roundhouse.testing.TestCluster;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ClusterNodeIT {

  private final List<ClusterNode> nodes = new ArrayList<>();
  private final List<ServerSocket> squatters = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Nodes.closeQuietly(nodes.get(i));
    }
    for (ServerSocket s : squatters) {
      try {
        s.close();
      } catch (IOException ignored) {
        // best effort
      }
    }
  }

  private ClusterNode join(ClusterConfig config, String nodeId) {
    return join(config, nodeId, MetricsConfig.DEFAULT);
  }

  private ClusterNode join(ClusterConfig config, String nodeId, MetricsConfig metrics) {
    ClusterNode node = ClusterNode.start(nodeId, "test", config, metrics).await();
    nodes.add(node);
    return node;
  }

  /** Opens one connection to a fresh Vert.x TCP server on the node and scrapes its registry. */
  private static String scrapeWithOneConnection(ClusterNode node) throws IOException {
    AtomicInteger accepted = new AtomicInteger();
    NetServer server =
        node.vertx()
            .createNetServer()
            .connectHandler(socket -> accepted.incrementAndGet())
            .listen(0, "127.0.0.1")
            .await();
    try (Socket client = new Socket("127.0.0.1", server.actualPort())) {
      Eventually.until("the server accepts the connection", () -> accepted.get() == 1);
      return ((PrometheusMeterRegistry) node.metrics().registry()).scrape();
    } finally {
      server.close().await();
    }
  }

  @Test
  void shouldTagEveryMeterWithNodeAndLeaveVertxMetersOutWhenNotAskedFor() throws IOException {
    ClusterNode node = join(TestCluster.create().config(), "plain");

    String scrape = scrapeWithOneConnection(node);

    assertThat(scrape).contains("jvm_memory_used_bytes{", "process_files_open_files{");
    assertThat(scrape).contains("node=\"plain\"", "service=\"test\"");
    assertThat(scrape).doesNotContain("vertx_net_server");
    assertThat(Metrics.globalRegistry.find("vertx.net.server.active.connections").meters())
        .as("no Vert.x meters anywhere else either")
        .isEmpty();
  }

  @Test
  void shouldExposeVertxMetersWhenMetricsVertxIsOn() throws IOException {
    ClusterNode node = join(TestCluster.create().config(), "detailed", new MetricsConfig(true));

    String scrape = scrapeWithOneConnection(node);

    assertThat(scrape).contains("vertx_net_server_active_connections{");
  }

  private static int members(ClusterNode node) {
    return node.hazelcast().getCluster().getMembers().size();
  }

  private static int boundPort(ClusterNode node) {
    return node.hazelcast().getCluster().getLocalMember().getAddress().getPort();
  }

  @Test
  void shouldFormOneClusterAndExposeIdentityWhenTwoMembersJoin() {
    TestCluster cluster = TestCluster.create();

    ClusterNode a = join(cluster.config(), "node-a");
    ClusterNode b = join(cluster.config(), "node-b");

    Eventually.until("both members see each other", () -> members(a) == 2 && members(b) == 2);
    assertThat(a.nodeId()).isEqualTo("node-a");
    assertThat(b.nodeId()).isEqualTo("node-b");
    assertThat(a.memberId()).isNotEqualTo(b.memberId());
    assertThat(a.hazelcast().getCluster().getMembers())
        .extracting(m -> m.getUuid().toString())
        .containsExactlyInAnyOrder(a.memberId(), b.memberId());
    assertThat(a.hazelcast().getCluster().getLocalMember().getAddress().getHost())
        .isEqualTo("127.0.0.1");
  }

  @Test
  void shouldUseNativeTransportAndOneEventLoopPerCoreWhenStarted() {
    Assumptions.assumeTrue(
        System.getProperty("os.name").startsWith("Linux")
            && System.getProperty("os.arch").equals("amd64"),
        "the epoll jar on the classpath is linux-x86_64");
    ClusterNode node = join(TestCluster.create().config(), "node-a");
    int cores = Runtime.getRuntime().availableProcessors();
    Set<String> loops = ConcurrentHashMap.newKeySet();

    node.vertx()
        .deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    loops.add(Thread.currentThread().getName());
                    return Future.succeededFuture();
                  }
                },
            new DeploymentOptions().setInstances(cores * 3))
        .await();

    assertThat(node.vertx().isNativeTransportEnabled()).isTrue();
    assertThat(loops).hasSize(cores);
  }

  @Test
  void shouldSeeMemberLeaveWhenNodeIsClosed() {
    TestCluster cluster = TestCluster.create();
    ClusterNode a = join(cluster.config(), "node-a");
    ClusterNode b = join(cluster.config(), "node-b");
    Eventually.until("both members see each other", () -> members(a) == 2);

    b.close().await();

    Eventually.until("member a is alone", () -> members(a) == 1);
    assertThat(b.hazelcast().getLifecycleService().isRunning()).isFalse();
  }

  @Test
  void shouldFormOneClusterWhenFirstPortsOfTheRangeAreTakenByOtherProcesses() throws IOException {
    TestCluster cluster = TestCluster.create();
    int base = cluster.config().port();
    // Other programs hold the first ports of the range: they accept and hang up, as a
    // non-Hazelcast server would.
    for (int port = base; port < base + 4; port++) {
      squat(port);
    }

    ClusterNode a = join(cluster.config(), "node-a");
    ClusterNode b = join(cluster.config(), "node-b");

    assertThat(boundPort(a)).isGreaterThanOrEqualTo(base + 4);
    assertThat(boundPort(b)).isLessThan(base + TestCluster.PORT_COUNT);
    Eventually.until(
        "both members found each other beyond the taken ports",
        () -> members(a) == 2 && members(b) == 2,
        () -> "a sees " + members(a) + ", b sees " + members(b));
  }

  @Test
  void shouldNotMergeWhenClusterNamesDifferOnTheSamePorts() {
    TestCluster base = TestCluster.create();
    ClusterConfig first = base.config();
    ClusterConfig second =
        ClusterConfig.local(
            "rh-other-" + UUID.randomUUID().toString().substring(0, 8),
            first.port(),
            first.portCount());

    ClusterNode a = join(first, "node-a");
    ClusterNode b = join(second, "node-b");

    assertThat(boundPort(b)).isNotEqualTo(boundPort(a));
    assertThat(members(a)).isEqualTo(1);
    assertThat(members(b)).isEqualTo(1);
  }

  /** Holds a port like an unrelated server would: accepts connections and closes them. */
  private void squat(int port) throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      server.close();
      return; // already taken by someone else, which serves the test just as well
    }
    squatters.add(server);
    Thread t =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                  s.setSoLinger(true, 0);
                } catch (IOException e) {
                  // closed: done
                }
              }
            },
            "squatter-" + port);
    t.setDaemon(true);
    t.start();
  }
}
