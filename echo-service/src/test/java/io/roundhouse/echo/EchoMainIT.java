package io.roundhouse.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.registry.HazelcastServiceRegistry;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.registry.ServiceRegistry;
import io.roundhouse.testing.Eventually;
import io.roundhouse.testing.Nodes;
import io.roundhouse.testing.RecordingRegistryListener;
import io.roundhouse.testing.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged echo-service run as its own JVM, as an operator would run it. */
class EchoMainIT {

  private static final String NODE_ID = "echo-proc";

  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();
  private final List<ServiceRegistry.Watch> watches = new ArrayList<>();
  private ClusterNode observer;

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
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

  private static Path shadedJar() throws IOException {
    Path target = Path.of(System.getProperty("basedir", ".")).resolve("target");
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().matches("echo-service-.*-all\\.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no shaded jar in " + target));
    }
  }

  private Process launch(Map<String, String> settings, Path log) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
            java.toString(),
            "-Xmx256m",
            "-Djava.net.preferIPv4Stack=true",
            "-jar",
            shadedJar().toString());
    // Only the settings of this test: nothing inherited may point the process elsewhere.
    pb.environment()
        .keySet()
        .removeIf(
            k ->
                k.startsWith("CLUSTER_")
                    || k.startsWith("ECHO_")
                    || k.startsWith("EVENTBUS_")
                    || k.startsWith("ROUNDHOUSE_")
                    || k.startsWith("POD_")
                    || k.equals("NODE_ID"));
    pb.environment().putAll(settings);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process process = pb.start();
    processes.add(process);
    return process;
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Process launchOn(TestCluster cluster, Path log) throws IOException {
    return launch(settingsOn(cluster), log);
  }

  private static Map<String, String> settingsOn(TestCluster cluster) {
    return Map.of(
        "NODE_ID",
        NODE_ID,
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

  @Test
  void shouldExitWithStatusTwoNamingTheSettingWhenConfigurationIsInvalid() throws Exception {
    Path log = dir.resolve("bad.log");

    Process process = launch(Map.of("ECHO_PORT", "seventy"), log);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process exited").isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(read(log)).contains("ECHO_PORT").contains("seventy");
  }

  @Test
  void shouldExitWithStatusOneNamingThePortWhenAdminPortIsTaken() throws Exception {
    TestCluster cluster = TestCluster.create();
    Path log = dir.resolve("taken.log");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Map<String, String> env = new HashMap<>(settingsOn(cluster));
      env.put("ECHO_ADMIN_PORT", String.valueOf(taken.getLocalPort()));

      Process process = launch(env, log);

      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process exited").isTrue();
      assertThat(process.exitValue()).isEqualTo(1);
      assertThat(read(log))
          .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .contains("Address already in use");
    }
  }

  @Test
  void shouldRegisterThenDeregisterAndExitWhenStartedAndSentSigterm() throws Exception {
    TestCluster cluster = TestCluster.create();
    RecordingRegistryListener watcher = observe(cluster);
    Path log = dir.resolve("echo.log");
    Process process = launchOn(cluster, log);

    Eventually.until(
        "the process registers", () -> watcher.live(NODE_ID).isPresent(), () -> read(log));
    assertEchoes(watcher.live(NODE_ID).orElseThrow());

    process.destroy(); // SIGTERM: the orderly stop

    Eventually.until("the process deregisters", () -> watcher.downs(NODE_ID) == 1, () -> read(log));
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process exited").isTrue();
    assertThat(process.exitValue()).as("exit status of an orderly stop").isZero();
    assertThat(read(log)).contains("Deregistering " + NODE_ID).contains("echo-service stopped");
    Eventually.until(
        "the process's member left",
        () -> observer.hazelcast().getCluster().getMembers().size() == 1);
  }

  @Test
  void shouldServeOpenConnectionsThroughTheGraceButAcceptNoneWhenSentSigterm() throws Exception {
    TestCluster cluster = TestCluster.create();
    RecordingRegistryListener watcher = observe(cluster);
    Path log = dir.resolve("drain.log");
    Map<String, String> env = new HashMap<>(settingsOn(cluster));
    env.put("SHUTDOWN_GRACE", "10s");
    Process process = launch(env, log);
    Eventually.until(
        "the process registers", () -> watcher.live(NODE_ID).isPresent(), () -> read(log));
    ServiceInstance instance = watcher.live(NODE_ID).orElseThrow();
    try (java.net.Socket open = new java.net.Socket(instance.host(), instance.port())) {
      open.setSoTimeout(30_000);
      assertThat(roundTrip(open, "before")).isEqualTo("before");

      process.destroy(); // SIGTERM

      Eventually.until(
          "the process deregisters", () -> watcher.downs(NODE_ID) == 1, () -> read(log));
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
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process exited").isTrue();
    assertThat(process.exitValue()).isZero();
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
    Path log = dir.resolve("echo.log");
    Process process = launchOn(cluster, log);
    Eventually.until(
        "the process registers", () -> watcher.live(NODE_ID).isPresent(), () -> read(log));

    process.destroyForcibly(); // SIGKILL: no deregistration

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process exited").isTrue();
    Eventually.until(
        "the observer sees the killed instance down",
        () -> watcher.downs(NODE_ID) == 1,
        watcher::toString);
    assertThat(read(log)).doesNotContain("Deregistering");
  }
}
