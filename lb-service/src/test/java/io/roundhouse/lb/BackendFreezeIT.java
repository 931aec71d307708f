package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backends frozen with SIGSTOP, as real processes: their kernels still accept connections, but
 * nothing answers. The balancer's active checks take them out of rotation, so every new client is
 * served by the others, and bring them back once SIGCONT lets them answer again. The freeze stays
 * well inside the cluster's heartbeat timeout (15 s), so the frozen members stay registered: only
 * the health checks act.
 */
class BackendFreezeIT {

  /** Bounds every wait on the balancer; the checks decide within about a second. */
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static final Duration STARTUP = Duration.ofSeconds(60);

  private ClusterFixture fixture;
  private LbService lb;
  private final List<ServiceProcess> processes = new ArrayList<>();
  private final Set<ServiceProcess> frozen = new HashSet<>();

  @BeforeEach
  void startCluster() throws Exception {
    fixture = new ClusterFixture();
    ServiceProcess echo1 = echoProcess("echo-1");
    ServiceProcess echo2 = echoProcess("echo-2");
    ServiceProcess ws1 = wsProcess("ws-1");
    ServiceProcess ws2 = wsProcess("ws-2");
    for (ServiceProcess p : List.of(echo1, echo2, ws1, ws2)) {
      p.awaitPorts(STARTUP);
    }
    lb =
        fixture.lb(
            Map.of(
                "LB_HEALTH_INTERVAL", "250ms",
                "LB_HEALTH_TIMEOUT", "500ms",
                "LB_HEALTH_RISE", "2",
                "LB_HEALTH_FALL", "2"));
    awaitState("echo", "echo-1", "up");
    awaitState("echo", "echo-2", "up");
    awaitState("ws", "ws-1", "up");
    awaitState("ws", "ws-2", "up");
  }

  /** Whatever happened, no process is left stopped or running. */
  @AfterEach
  void stopAll() throws Exception {
    for (ServiceProcess p : frozen) {
      signal("CONT", p);
    }
    frozen.clear();
    for (ServiceProcess p : processes) {
      p.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private ServiceProcess echoProcess(String nodeId) throws IOException {
    Map<String, String> env =
        fixture.settings(
            nodeId, Map.of("ECHO_PORT", "0", "ECHO_INSTANCES", "1", "ECHO_ADMIN_PORT", "0"));
    ServiceProcess p = ServiceProcess.start("roundhouse.echo.jar", nodeId, env);
    processes.add(p);
    return p;
  }

  private ServiceProcess wsProcess(String nodeId) throws IOException {
    Map<String, String> env = fixture.settings(nodeId, Map.of("WS_PORT", "0", "WS_INSTANCES", "1"));
    ServiceProcess p = ServiceProcess.start("roundhouse.ws.jar", nodeId, env);
    processes.add(p);
    return p;
  }

  private ServiceProcess process(String nodeId) {
    return processes.stream().filter(p -> p.nodeId().equals(nodeId)).findFirst().orElseThrow();
  }

  /** Sends SIGSTOP or SIGCONT to a process this test started, by its PID. */
  private static void signal(String name, ServiceProcess p) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(p.pid())).start();
    assertThat(kill.waitFor()).as("kill -%s %d", name, p.pid()).isZero();
  }

  private void freeze(String nodeId) throws Exception {
    ServiceProcess p = process(nodeId);
    frozen.add(p);
    signal("STOP", p);
  }

  private void thaw(String nodeId) throws Exception {
    ServiceProcess p = process(nodeId);
    signal("CONT", p);
    frozen.remove(p);
  }

  private JsonObject node(String service, String id) {
    JsonObject node = fixture.nodesOf(lb, service).get(id);
    if (node == null) {
      throw new AssertionError(id + " is not listed by the balancer");
    }
    return node;
  }

  private void awaitState(String service, String id, String state) {
    Eventually.until(
        WAIT,
        id + " is " + state + " on /api/nodes",
        () -> state.equals(node(service, id).getJsonObject("health").getString("state")));
  }

  private long total(String service, String id) {
    return node(service, id).getLong("totalConnections");
  }

  /** {@code count} TCP clients, each one echoed; fails on the first that is not. */
  private void tcpClients(int count, String tag) throws IOException {
    for (int i = 0; i < count; i++) {
      try (Socket socket = TcpClients.connect(lb.tcpPort())) {
        TcpClients.roundTrip(socket, tag + " " + i);
      }
    }
  }

  /** {@code count} GETs of {@code /info}; every one must be answered 200. Returns who answered. */
  private List<String> httpClients(int count) {
    List<String> answeredBy = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TestClients.Reply reply = fixture.http(lb.httpPort(), "/info");
      assertThat(reply.status()).as("GET /info through the balancer").isEqualTo(200);
      answeredBy.add(reply.json().getString("node"));
    }
    return answeredBy;
  }

  @Test
  void shouldServeEveryNewClientElsewhereWhileBackendsAreFrozenAndTakeThemBackWhenThawed()
      throws Exception {
    freeze("echo-2");
    freeze("ws-2");

    awaitState("echo", "echo-2", "down");
    awaitState("ws", "ws-2", "down");
    JsonObject echo2 = node("echo", "echo-2");
    assertThat(echo2.getBoolean("healthy")).isFalse();
    assertThat(echo2.getJsonObject("health").getString("reason"))
        .isEqualTo("timed out after 500 ms");
    assertThat(node("ws", "ws-2").getJsonObject("health").getString("reason"))
        .isEqualTo("timed out after 500 ms");
    long frozenEchoTotal = total("echo", "echo-2");
    long frozenWsTotal = total("ws", "ws-2");
    long echo1Total = total("echo", "echo-1");
    assertThat(
            fixture.metric(
                lb.adminPort(),
                "roundhouse_backend_up",
                Map.of("backend", "echo-2", "backend_service", "echo")))
        .isZero();
    assertThat(
            fixture.metric(
                lb.adminPort(),
                "roundhouse_backend_health",
                Map.of("backend", "ws-2", "backend_service", "ws", "state", "down")))
        .isEqualTo(1.0);

    tcpClients(20, "while frozen");
    List<String> answeredBy = httpClients(20);

    assertThat(answeredBy).containsOnly("ws-1");
    assertThat(total("echo", "echo-2"))
        .as("clients sent to frozen echo-2")
        .isEqualTo(frozenEchoTotal);
    assertThat(total("ws", "ws-2")).as("requests sent to frozen ws-2").isEqualTo(frozenWsTotal);
    assertThat(total("echo", "echo-1")).isEqualTo(echo1Total + 20);

    thaw("echo-2");
    thaw("ws-2");

    awaitState("echo", "echo-2", "up");
    awaitState("ws", "ws-2", "up");
    tcpClients(10, "thawed");
    assertThat(total("echo", "echo-2"))
        .as("clients sent to echo-2 once back")
        .isGreaterThan(frozenEchoTotal);
    assertThat(httpClients(10)).contains("ws-1", "ws-2");
  }
}
