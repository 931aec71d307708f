package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Backends come and go as real processes: killed with SIGKILL, or started while serving. */
class BackendChurnIT {

  private ClusterFixture fixture;
  private LbService lb;
  private final List<ServiceProcess> processes = new ArrayList<>();

  @BeforeEach
  void startBalancer() {
    fixture = new ClusterFixture();
    lb = fixture.lb();
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    for (ServiceProcess p : processes) {
      p.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private ServiceProcess echoProcess(String nodeId) throws Exception {
    ServiceProcess p =
        ServiceProcess.start(
            "roundhouse.echo.jar",
            nodeId,
            fixture.settings(
                nodeId, Map.of("ECHO_PORT", "0", "ECHO_INSTANCES", "1", "ECHO_ADMIN_PORT", "0")));
    processes.add(p);
    return p;
  }

  private void awaitEchoNodes(int count) {
    fixture.awaitNodes(lb, "echo", nodes -> nodes.size() == count);
  }

  @Test
  void shouldFailNoNewConnectionWhenABackendProcessIsKilled() throws Exception {
    echoProcess("echo-1");
    ServiceProcess victim = echoProcess("echo-2");
    echoProcess("echo-3");
    awaitEchoNodes(3);
    List<Socket> established = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Socket s = TcpClients.connect(lb.tcpPort());
      TcpClients.roundTrip(s, "before " + i);
      established.add(s);
    }

    victim.kill();

    // Right away, before the cluster has noticed: every new client is still served.
    for (int i = 0; i < 30; i++) {
      try (Socket s = TcpClients.connect(lb.tcpPort())) {
        TcpClients.roundTrip(s, "after " + i);
      }
    }
    // The connection that was spliced to the dead backend is closed, not left hanging.
    int closedByBalancer = 0;
    for (Socket s : established) {
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      s.getOutputStream().write("x\n".getBytes());
      try {
        byte[] back = in.readNBytes(2);
        if (back.length < 2) {
          closedByBalancer++;
        }
      } catch (java.net.SocketException reset) {
        closedByBalancer++;
      }
      s.close();
    }
    assertThat(closedByBalancer).isEqualTo(1);
    // The member's death removes it from the registry, and so from the balancer.
    fixture.awaitNodes(
        lb, "echo", nodes -> nodes.keySet().equals(java.util.Set.of("echo-1", "echo-3")));
  }

  @Test
  void shouldSendNewConnectionsToBackendWhenItJoinsWhileServing() throws Exception {
    echoProcess("echo-1");
    awaitEchoNodes(1);
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        Socket s = TcpClients.connect(lb.tcpPort());
        TcpClients.roundTrip(s, "one backend " + i);
        sockets.add(s);
      }
      echoProcess("echo-2");
      awaitEchoNodes(2);
      for (int i = 0; i < 4; i++) {
        Socket s = TcpClients.connect(lb.tcpPort());
        TcpClients.roundTrip(s, "two backends " + i);
        sockets.add(s);
      }
      Map<String, JsonObject> nodes = fixture.nodesOf(lb, "echo");
      assertThat(nodes.get("echo-2").getLong("activeConnections")).isEqualTo(2L);
      assertThat(nodes.get("echo-1").getLong("activeConnections")).isEqualTo(6L);
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void shouldSeeNewBackendBeforeAnyAntiEntropyPassWhenItFinishesRegistering() throws Exception {
    fixture.echo("echo-1");
    awaitEchoNodes(1);

    var echo2 = fixture.echo("echo-2"); // returns once registered and ready
    // Pushed by the registry's entry listener, not polled: the wait is bounded below the 15 s
    // anti-entropy interval (a deadline, not a measured duration), so only a push can pass it.
    Eventually.until(
        Duration.ofSeconds(10),
        "the balancer lists echo-2",
        () -> lb.directory().live("echo").stream().anyMatch(b -> b.id().equals("echo-2")));

    // And it is served: consecutive connections land on both backends.
    for (int i = 0; i < 2; i++) {
      try (Socket s = TcpClients.connect(lb.tcpPort())) {
        TcpClients.roundTrip(s, "after join " + i);
      }
    }
    assertThat(lb.directory().live("echo"))
        .allSatisfy(b -> assertThat(b.totalConnections()).isPositive());
    assertThat(echo2.port()).isPositive();
  }
}
