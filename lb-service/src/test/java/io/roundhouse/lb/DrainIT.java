package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.ServiceProcess;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drains without a storm: a ws node's SIGTERM, or an admin's drain on any balancer, closes its
 * WebSockets with 1001 spread over the drain, never all at once; the users reconnect to the other
 * node; the node leaves once it holds nothing.
 */
class DrainIT {

  private static final int USERS = 30;

  private ClusterFixture fixture;
  private HeldWebSockets users;
  private ServiceProcess ws1;

  @BeforeEach
  void start() {
    fixture = new ClusterFixture();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (users != null) {
      users.close();
    }
    if (ws1 != null) {
      ws1.close();
    }
    fixture.close();
  }

  @Test
  void shouldCloseANodesWebSocketsWith1001SpreadOverItsGraceWhenItIsSentSigterm() throws Exception {
    ws1 =
        ServiceProcess.start(
            "roundhouse.ws.jar",
            "ws-1",
            fixture.settings(
                "ws-1", Map.of("WS_PORT", "0", "WS_INSTANCES", "1", "SHUTDOWN_GRACE", "8s")));
    LbService lb = fixture.lb(Map.of("LB_STRATEGY", "least_connections"));
    fixture.awaitNodes(lb, "ws", nodes -> nodes.containsKey("ws-1"));
    users = new HeldWebSockets(fixture.clients, lb.httpPort(), Set.of(1001));
    users.open(USERS);
    assertThat(users.perNode()).containsExactly(Map.entry("ws-1", USERS));
    fixture.ws("ws-2");
    fixture.awaitNodes(lb, "ws", nodes -> nodes.size() == 2);

    ws1.terminate();

    // Spread: a moment comes when some of ws-1's users were moved and others not yet. A storm
    // (every close at once) passes through that state in well under a millisecond.
    Eventually.until(
        Duration.ofSeconds(20),
        "part of ws-1's users moved, part still on it",
        () -> {
          int left = users.perNode().getOrDefault("ws-1", 0);
          return left >= USERS / 6 && left <= USERS - USERS / 6;
        });
    Eventually.until(
        Duration.ofSeconds(30),
        "every user back, on ws-2",
        () -> users.perNode().equals(Map.of("ws-2", USERS)));
    assertThat(users.closes())
        .hasSize(USERS)
        .allSatisfy(
            close -> {
              assertThat(close.code()).isEqualTo(1001);
              assertThat(close.reason()).isEqualTo("going away");
            });
    assertThat(users.errors()).isEmpty();
    assertThat(ws1.awaitExit(Duration.ofSeconds(30))).as("exit status").isZero();
    ws1 = null;
    assertThat(
            fixture.metric(
                lb.adminPort(),
                "roundhouse_shed_total",
                Map.of("reason", "drain", "protocol", "websocket")))
        .isEqualTo(USERS);
  }

  @Test
  void shouldDrainANodeOnEveryBalancerAndPutItBackWhenAnAdminAsksOne() throws Exception {
    fixture.ws("ws-1");
    LbService a = fixture.lb("lb-a", Map.of("LB_STRATEGY", "least_connections"));
    LbService b = fixture.lb("lb-b", Map.of("LB_STRATEGY", "least_connections"));
    fixture.awaitNodes(a, "ws", nodes -> nodes.size() == 1);
    fixture.awaitNodes(b, "ws", nodes -> nodes.size() == 1);
    users = new HeldWebSockets(fixture.clients, b.httpPort(), Set.of(1001));
    users.open(10);
    fixture.ws("ws-2");
    fixture.awaitNodes(b, "ws", nodes -> nodes.size() == 2);

    TestClients.Reply drained =
        fixture.testClients().post(a.adminPort(), "/api/nodes/ws-1/drain?period=2s");
    assertThat(drained.status()).isEqualTo(202);

    for (LbService lb : new LbService[] {a, b}) {
      fixture.awaitNodes(
          lb, "ws", nodes -> nodes.get("ws-1").getBoolean("draining", false).equals(true));
    }
    // Balancer b was not asked, yet its users on ws-1 were moved, with 1001.
    Eventually.until(
        Duration.ofSeconds(20),
        "b's users all on ws-2",
        () -> users.perNode().equals(Map.of("ws-2", 10)));
    assertThat(users.closes()).allSatisfy(close -> assertThat(close.code()).isEqualTo(1001));
    users.open(4);
    assertThat(users.perNode()).containsExactly(Map.entry("ws-2", 14));
    // b shed its own ten, drained; a held none of them.
    assertThat(
            fixture
                .get(b.adminPort(), "/api/rebalance")
                .getJsonObject("shed")
                .getLong("drain/websocket"))
        .isEqualTo(10);

    assertThat(fixture.testClients().delete(b.adminPort(), "/api/nodes/ws-1/drain").status())
        .isEqualTo(200);
    for (LbService lb : new LbService[] {a, b}) {
      fixture.awaitNodes(
          lb, "ws", nodes -> nodes.get("ws-1").getBoolean("draining", true).equals(false));
    }
  }

  @Test
  void shouldCloseItsWebSocketsWith1001SpreadOverItsGraceWhenTheBalancerIsSentSigterm()
      throws Exception {
    fixture.ws("ws-1");
    ServiceProcess lb =
        ServiceProcess.start(
            "roundhouse.lb.jar",
            "lb-drain",
            fixture.settings(
                "lb-drain",
                Map.of(
                    "LB_HOST", "127.0.0.1",
                    "LB_TCP_PORT", "0",
                    "LB_HTTP_PORT", "0",
                    "LB_ADMIN_PORT", "0",
                    "LB_INSTANCES", "1",
                    "SHUTDOWN_GRACE", "8s")));
    try {
      Map<String, Integer> ports = lb.awaitPorts(Duration.ofSeconds(60));
      Eventually.until(
          Duration.ofSeconds(20),
          "the balancer lists ws-1",
          () -> fixture.get(ports.get("admin"), "/api/nodes").getJsonArray("nodes").size() == 1);
      users = new HeldWebSockets(fixture.clients, ports.get("http"), Set.of());
      users.open(USERS);

      lb.terminate();

      Eventually.until(
          Duration.ofSeconds(20),
          "part of the users closed, part still open",
          () -> users.open() >= USERS / 6 && users.open() <= USERS - USERS / 6);
      Eventually.until(Duration.ofSeconds(30), "every user closed", () -> users.open() == 0);
      assertThat(users.closes())
          .hasSize(USERS)
          .allSatisfy(close -> assertThat(close.code()).isEqualTo(1001));
      assertThat(lb.awaitExit(Duration.ofSeconds(30))).as("exit status").isZero();
    } finally {
      lb.close();
    }
  }

  @Test
  void shouldAnswer404Or400WhenTheDrainNamesNoBackendOrABadPeriod() {
    fixture.ws("ws-1");
    LbService lb = fixture.lb(Map.of());
    fixture.awaitNodes(lb, "ws", nodes -> nodes.size() == 1);

    assertThat(fixture.testClients().post(lb.adminPort(), "/api/nodes/nope/drain").status())
        .isEqualTo(404);
    assertThat(
            fixture
                .testClients()
                .post(lb.adminPort(), "/api/nodes/ws-1/drain?period=soon")
                .status())
        .isEqualTo(400);
    assertThat(fixture.nodesOf(lb, "ws").get("ws-1").getBoolean("draining")).isFalse();
  }

  @Test
  void shouldCloseAnIdleTcpConnectionEarlyAndABusyOneAtTheDeadlineWhenItsNodeDrains()
      throws Exception {
    fixture.echo("echo-1");
    LbService lb = fixture.lb(Map.of("LB_SHED_TCP_IDLE", "300ms"));
    fixture.awaitNodes(lb, "echo", nodes -> nodes.size() == 1);
    try (Socket idle = TcpClients.connect(lb.tcpPort());
        Socket busy = TcpClients.connect(lb.tcpPort())) {
      TcpClients.roundTrip(idle, "idle");
      TcpClients.roundTrip(busy, "busy");
      AtomicBoolean idleEnded = new AtomicBoolean();
      Thread watcher =
          new Thread(
              () -> {
                try {
                  idleEnded.set(idle.getInputStream().read() == -1);
                } catch (Exception e) {
                  idleEnded.set(false);
                }
              });
      watcher.start();

      assertThat(
              fixture
                  .testClients()
                  .post(lb.adminPort(), "/api/nodes/echo-1/drain?period=3s")
                  .status())
          .isEqualTo(202);

      // The busy one keeps echoing while the idle one is closed; then, at the deadline, it is
      // closed too, after the bytes it was owed.
      int rounds = 0;
      boolean idleFirst = false;
      try {
        while (true) {
          TcpClients.roundTrip(busy, "still here " + rounds++);
          if (!watcher.isAlive()) {
            idleFirst = true;
          }
          Thread.sleep(20);
        }
      } catch (java.io.IOException closedAtTheDeadline) {
        // the deadline's close reached the busy client
      }
      watcher.join(10_000);
      assertThat(idleEnded).as("the idle connection saw a clean EOF").isTrue();
      assertThat(idleFirst).as("the idle one was closed while the busy one still echoed").isTrue();
      assertThat(rounds).isGreaterThan(1);
    }
    Eventually.until(
        Duration.ofSeconds(20),
        "the balancer holds nothing to echo-1",
        () -> fixture.nodesOf(lb, "echo").get("echo-1").getLong("activeConnections") == 0);
  }
}
