package io.roundhouse.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.testing.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test's service processes, started from their jars into a {@link ClusterFixture}'s cluster, that
 * can be frozen with SIGSTOP and woken with SIGCONT, as a long GC pause or a VM stall would freeze
 * them. Signals go only to these processes, by PID. Closing wakes every frozen one, then stops them
 * all.
 */
final class FreezableProcesses implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final ClusterFixture fixture;
  private final List<ServiceProcess> started = new ArrayList<>();
  private final Set<ServiceProcess> frozen = new LinkedHashSet<>();

  FreezableProcesses(ClusterFixture fixture) {
    this.fixture = fixture;
  }

  /** An echo node, registered and serving once this returns. */
  ServiceProcess echo(String nodeId) {
    ServiceProcess p =
        start(
            "roundhouse.echo.jar",
            nodeId,
            Map.of("ECHO_PORT", "0", "ECHO_INSTANCES", "1", "ECHO_ADMIN_PORT", "0"));
    p.awaitPorts(START_TIMEOUT);
    return p;
  }

  /** A balancer on loopback, serving once this returns; its ports by name from {@link #ports}. */
  ServiceProcess balancer(String nodeId) {
    ServiceProcess p =
        start(
            "roundhouse.lb.jar",
            nodeId,
            Map.of(
                "LB_HOST", "127.0.0.1",
                "LB_TCP_PORT", "0",
                "LB_HTTP_PORT", "0",
                "LB_ADMIN_PORT", "0",
                "LB_INSTANCES", "1"));
    p.awaitPorts(START_TIMEOUT);
    return p;
  }

  static Map<String, Integer> ports(ServiceProcess p) {
    return p.awaitPorts(START_TIMEOUT);
  }

  private ServiceProcess start(String jar, String nodeId, Map<String, String> settings) {
    try {
      ServiceProcess p = ServiceProcess.start(jar, nodeId, fixture.settings(nodeId, settings));
      started.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void freeze(ServiceProcess p) throws InterruptedException, IOException {
    signal("-STOP", p);
    frozen.add(p);
  }

  void wake(ServiceProcess p) throws InterruptedException, IOException {
    signal("-CONT", p);
    frozen.remove(p);
  }

  private static void signal(String signal, ServiceProcess p)
      throws InterruptedException, IOException {
    Process kill = new ProcessBuilder("kill", signal, String.valueOf(p.pid())).start();
    assertThat(kill.waitFor()).as("kill %s %s", signal, p.nodeId()).isZero();
  }

  @Override
  public void close() throws InterruptedException, IOException {
    for (ServiceProcess p : List.copyOf(frozen)) {
      wake(p);
    }
    for (ServiceProcess p : started) {
      p.close();
    }
  }
}
