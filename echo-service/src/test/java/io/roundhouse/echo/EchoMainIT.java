package io.roundhouse.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.registry.HazelcastServiceRegistry;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.registry.ServiceRegistry;
import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.Nodes;
import io.roundhouse.testing.RecordingRegistryListener;
import io.roundhouse.testing.ServiceProcess;
import io.roundhouse.testing.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged echo-service run as its own JVM, as an operator would run it. */
class EchoMainIT {

  private static final String NODE_ID = "echo-proc";

  /** A JVM starting, joining and leaving on a busy two-core box; a bound, not a target. */
  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  private final List<ServiceProcess> processes = new ArrayList<>();
  private final List<ServiceRegistry.Watch> watches = new ArrayList<>();
  private ClusterNode observer;

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (ServiceProcess p : processes) {
      p.kill();
    }
    for (ServiceRegistry.Watch w : watches) {
      try {
        w.close().timeout(10, TimeUnit.SECONDS).await();
      } catch (Exception ignored) {
        // best effort
      }
    }
    Nodes.closeQuietly(observer);
  }

  /** The shaded jar as an operator runs it, with only this test's settings. */
  private ServiceProcess launch(String nodeId, Map<String, String> settings) throws IOException {
    ServiceProcess process = ServiceProcess.start("roundhouse.echo.jar", nodeId, dir, settings);
    processes.add(process);
    return process;
  }

  private ServiceProcess launchOn(TestCluster cluster) throws IOException {
    return launch(NODE_ID, settingsOn(cluster));
  }

  private static Map<String, String> settingsOn(TestCluster cluster) {
    return Map.of(
        "ECHO_HOST",
        "127.0.0.1",
        "ECHO_PORT",
        "0",
        "ECHO_INSTANCES",
        "1",
        "ECHO_ADMIN_PORT",
        "0",
        "CLUSTER_NAME",
        cluster.config().clusterName(),
        "CLUSTER_PORT",
        String.valueOf(cluster.config().port()),
        "CLUSTER_PORT_COUNT",
        String.valueOf(cluster.config().portCount()));
  }

  private RecordingRegistryListener observe(TestCluster cluster) {
    observer = cluster.join("observer-proc");
    RecordingRegistryListener listener = new RecordingRegistryListener();
    watches.add(
        new HazelcastServiceRegistry(observer.vertx(), observer.hazelcast())
            .watch(listener)
            .await());
    return listener;
  }

  private static void assertEchoes(ServiceInstance instance) throws IOException {
    try (java.net.Socket socket = new java.net.Socket(instance.host(), instance.port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write("hello".getBytes());
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      assertThat(in.readAllBytes()).isEqualTo("hello".getBytes());
    }
  }

  private static void assertEchoesUdp(ServiceInstance instance) throws IOException {
    try (java.net.DatagramSocket socket =
        new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      socket.setSoTimeout(30_000);
      byte[] hello = "hello udp".getBytes();
      socket.send(
          new java.net.DatagramPacket(
              hello, hello.length, InetAddress.getByName(instance.host()), instance.port()));
      java.net.DatagramPacket echoed = new java.net.DatagramPacket(new byte[64], 64);
      socket.receive(echoed);
      assertThat(new String(echoed.getData(), 0, echoed.getLength())).isEqualTo("hello udp");
    }
  }

  @Test
  void shouldExitWithStatusTwoNamingTheSettingWhenConfigurationIsInvalid() throws Exception {
    ServiceProcess process = launch("echo-bad", Map.of("ECHO_PORT", "seventy"));

    assertThat(process.awaitExit(EXIT)).isEqualTo(2);
    assertThat(process.log()).contains("ECHO_PORT").contains("seventy");
  }

  @Test
  void shouldExitWithStatusOneNamingThePortWhenAdminPortIsTaken() throws Exception {
    TestCluster cluster = TestCluster.create();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Map<String, String> env = new HashMap<>(settingsOn(cluster));
      env.put("ECHO_ADMIN_PORT", String.valueOf(taken.getLocalPort()));

      ServiceProcess process = launch(NODE_ID, env);

      assertThat(process.awaitExit(EXIT)).isEqualTo(1);
      assertThat(process.log())
          .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .contains("Address already in use");
    }
  }

  @Test
  void shouldExitWithStatusOneNamingThePortWhenUdpPortIsTaken() throws Exception {
    TestCluster cluster = TestCluster.create();
    try (java.net.DatagramSocket taken =
        new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Map<String, String> env = new HashMap<>(settingsOn(cluster));
      env.put("ECHO_PORT", String.valueOf(taken.getLocalPort())); // its TCP twin is free

      ServiceProcess process = launch(NODE_ID, env);

      assertThat(process.awaitExit(EXIT)).isEqualTo(1);
      assertThat(process.log())
          .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .as("failed before registering")
          .doesNotContain("Registering");
    }
  }

  @Test
  void shouldRegisterThenDeregisterAndExitWhenStartedAndSentSigterm() throws Exception {
    TestCluster cluster = TestCluster.create();
    RecordingRegistryListener watcher = observe(cluster);
    ServiceProcess process = launchOn(cluster);

    Eventually.until(
        "the process registers", () -> watcher.live(NODE_ID).isPresent(), process::log);
    ServiceInstance instance = watcher.live(NODE_ID).orElseThrow();
    assertEchoes(instance);
    assertThat(process.awaitPort("udp", EXIT)).as("UDP on the TCP port").isEqualTo(instance.port());
    assertEchoesUdp(instance);

    process.terminate(); // SIGTERM: the orderly stop

    Eventually.until("the process deregisters", () -> watcher.downs(NODE_ID) == 1, process::log);
    assertThat(process.awaitExit(EXIT)).as("exit status of an orderly stop").isZero();
    assertThat(process.log()).contains("Deregistering " + NODE_ID).contains("echo-service stopped");
    Eventually.until(
        "the process's member left",
        () -> observer.hazelcast().getCluster().getMembers().size() == 1);
  }

  @Test
  void shouldServeOpenConnectionsThroughTheGraceButAcceptNoneWhenSentSigterm() throws Exception {
    TestCluster cluster = TestCluster.create();
    RecordingRegistryListener watcher = observe(cluster);
    Map<String, String> env = new HashMap<>(settingsOn(cluster));
    env.put("SHUTDOWN_GRACE", "10s");
    ServiceProcess process = launch(NODE_ID, env);
    Eventually.until(
        "the process registers", () -> watcher.live(NODE_ID).isPresent(), process::log);
    ServiceInstance instance = watcher.live(NODE_ID).orElseThrow();
    try (java.net.Socket open = new java.net.Socket(instance.host(), instance.port())) {
      open.setSoTimeout(30_000);
      assertThat(roundTrip(open, "before")).isEqualTo("before");

      process.terminate(); // SIGTERM

      Eventually.until("the process deregisters", () -> watcher.downs(NODE_ID) == 1, process::log);
      Eventually.until(
          "the listener stops accepting",
          () -> {
            try (java.net.Socket late = new java.net.Socket(instance.host(), instance.port())) {
              return false;
            } catch (IOException refused) {
              return true;
            }
          });
      assertThat(roundTrip(open, "during the drain")).isEqualTo("during the drain");
      assertThat(open.getInputStream().read()).as("closed once the grace is over").isEqualTo(-1);
    }
    assertThat(process.awaitExit(EXIT)).isZero();
  }

  private static String roundTrip(java.net.Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes());
    byte[] echoed = socket.getInputStream().readNBytes(text.length());
    return new String(echoed);
  }

  @Test
  void shouldReportInstanceDownWhenProcessIsKilled() throws Exception {
    TestCluster cluster = TestCluster.create();
    RecordingRegistryListener watcher = observe(cluster);
    ServiceProcess process = launchOn(cluster);
    Eventually.until(
        "the process registers", () -> watcher.live(NODE_ID).isPresent(), process::log);

    process.kill(); // SIGKILL: no deregistration

    assertThat(process.isAlive()).as("killed").isFalse();
    Eventually.until(
        "the observer sees the killed instance down",
        () -> watcher.downs(NODE_ID) == 1,
        watcher::toString);
    assertThat(process.log()).doesNotContain("Deregistering");
  }
}
