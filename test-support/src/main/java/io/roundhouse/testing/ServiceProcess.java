package io.roundhouse.testing;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A service started as its own JVM from its packaged jar, as an operator runs it; stopped by its
 * own PID, never by name. It learns the ports the service bound from the service's port file
 * ({@code PORT_FILE}), so every port may be 0.
 */
public final class ServiceProcess implements AutoCloseable {

  /** A small heap and C1 only: several of these start at once on a two-core box. */
  public static final List<String> JVM_FLAGS =
      List.of(
          "-Xms32m",
          "-Xmx128m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Djava.net.preferIPv4Stack=true");

  /** Inherited settings that could point the process elsewhere: dropped, only the test's count. */
  private static final List<String> OWN_PREFIXES =
      List.of(
          "LB_",
          "ECHO_",
          "WS_",
          "CLUSTER_",
          "EVENTBUS_",
          "ROUNDHOUSE_",
          "POD_",
          "NODE_ID",
          "PORT_FILE",
          "SHUTDOWN_GRACE",
          "REGISTRY_");

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final String nodeId;
  private final Process process;
  private final Path log;
  private final Path portFile;

  private ServiceProcess(String nodeId, Process process, Path log, Path portFile) {
    this.nodeId = nodeId;
    this.process = process;
    this.log = log;
    this.portFile = portFile;
  }

  /** The jar named by system property {@code jarProperty}; fails clearly if it is not built. */
  public static Path jar(String jarProperty) {
    String jar = System.getProperty(jarProperty);
    if (jar == null || !new File(jar).isFile()) {
      throw new IllegalStateException(
          "System property "
              + jarProperty
              + " must name a built jar (./mvnw -DskipTests package), got "
              + jar);
    }
    return Path.of(jar);
  }

  /**
   * Starts {@code java -jar} on the jar named by system property {@code jarProperty} with {@code
   * NODE_ID=nodeId} and the given settings, output to {@code <logs>/<nodeId>.log}.
   */
  public static ServiceProcess start(
      String jarProperty, String nodeId, Path logs, Map<String, String> env) throws IOException {
    Path jar = jar(jarProperty);
    Files.createDirectories(logs);
    Path log = logs.resolve(nodeId + ".log");
    Path portFile = logs.resolve(nodeId + ".ports");
    Files.deleteIfExists(portFile);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().keySet().removeIf(k -> OWN_PREFIXES.stream().anyMatch(k::startsWith));
    builder.environment().put("NODE_ID", nodeId);
    builder.environment().put("PORT_FILE", portFile.toString());
    builder.environment().putAll(env);
    return new ServiceProcess(nodeId, builder.start(), log, portFile);
  }

  /** As {@link #start(String, String, Path, Map)}, logging to {@link #defaultLogs()}. */
  public static ServiceProcess start(String jarProperty, String nodeId, Map<String, String> env)
      throws IOException {
    return start(jarProperty, nodeId, defaultLogs(), env);
  }

  /**
   * The logs directory of an IT: system property {@code roundhouse.it.logs}, else target/it-logs.
   */
  public static Path defaultLogs() {
    return Path.of(System.getProperty("roundhouse.it.logs", "target/it-logs"));
  }

  public String nodeId() {
    return nodeId;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until the service has written its port file and returns its ports by name ({@code tcp},
   * {@code http}, {@code admin}); fails with its log if it exits first or {@code timeout} passes.
   */
  public Map<String, Integer> awaitPorts(Duration timeout) {
    Eventually.until(
        timeout,
        nodeId + " writes its ports to " + portFile,
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException(nodeId + " exited with " + process.exitValue());
          }
          return Files.exists(portFile);
        },
        this::log);
    return readPorts();
  }

  /** The port named {@code name}, once the service has bound it. */
  public int awaitPort(String name, Duration timeout) {
    Integer port = awaitPorts(timeout).get(name);
    if (port == null) {
      throw new AssertionError(nodeId + " bound no port named " + name + ": " + readPorts());
    }
    return port;
  }

  private Map<String, Integer> readPorts() {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(portFile)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Integer> ports = new HashMap<>();
    properties.forEach((k, v) -> ports.put((String) k, Integer.parseInt((String) v)));
    return Map.copyOf(ports);
  }

  public Path logFile() {
    return log;
  }

  /** Everything the process has logged so far, or why it cannot be read. */
  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** How many file descriptors the process holds open now (Linux). */
  public long openFds() {
    try (var fds = Files.list(Path.of("/proc", String.valueOf(process.pid()), "fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM, the orderly stop, without waiting. */
  public void terminate() {
    process.destroy();
  }

  /** Waits for the process to end and returns its exit status; fails if it is still running. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(nodeId + " still running after " + timeout);
    }
    return process.exitValue();
  }

  /** SIGKILL: no deregistration, no goodbye to the cluster; waits up to 10 s for the end. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, up to 10 s to stop, then SIGKILL. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
    }
  }
}
