package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.ServiceProcess;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to a balancer process carrying a TCP splice: it reports not ready, stops accepting, keeps
 * the open splice working through the grace period, then closes it and exits 0.
 */
class LbShutdownIT {

  private ClusterFixture fixture;
  private ServiceProcess lb;

  @BeforeEach
  void startCluster() {
    fixture = new ClusterFixture();
    fixture.echo("echo-1");
  }

  @AfterEach
  void stopCluster() throws InterruptedException {
    if (lb != null) {
      lb.close();
    }
    fixture.close();
  }

  @Test
  void shouldDrainOpenSplicesButRefuseNewOnesWhenSentSigterm() throws Exception {
    lb =
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
                    "SHUTDOWN_GRACE", "10s")));
    Map<String, Integer> ports = lb.awaitPorts(Duration.ofSeconds(60));
    int tcpPort = ports.get("tcp");
    int adminPort = ports.get("admin");
    Eventually.until(
        Duration.ofSeconds(20),
        "the balancer lists the echo node",
        () -> fixture.get(adminPort, "/api/nodes").getJsonArray("nodes").size() == 1);

    try (Socket open = TcpClients.connect(tcpPort)) {
      TcpClients.roundTrip(open, "before");

      lb.terminate();

      Eventually.until(
          Duration.ofSeconds(20),
          "the balancer reports not ready",
          () -> fixture.http(adminPort, "/health/ready").status() == 503);
      Eventually.until(Duration.ofSeconds(20), "the TCP port refuses", () -> refuses(tcpPort));
      TcpClients.roundTrip(open, "during the drain");
      open.setSoTimeout(30_000);
      assertThat(open.getInputStream().read()).as("closed once the grace is over").isEqualTo(-1);
    }
    assertThat(lb.awaitExit(Duration.ofSeconds(60))).as("exit status").isZero();
  }

  private static boolean refuses(int port) {
    try (Socket late = new Socket("127.0.0.1", port)) {
      return false;
    } catch (IOException refused) {
      return true;
    }
  }
}
