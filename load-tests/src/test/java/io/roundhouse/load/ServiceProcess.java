package io.roundhouse.load;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A service JVM started from its packaged jar; stopped by its own PID, never by name. */
final class ServiceProcess implements AutoCloseable {

  /** Inherited settings that could change what the test starts: dropped. */
  private static final List<String> OWN_PREFIXES =
      List.of("LB_", "ECHO_", "WS_", "CLUSTER_", "NODE_ID", "POD_IP", "ROUNDHOUSE_CONFIG");

  private final String nodeId;
  private final Process process;
  private final Path log;

  private ServiceProcess(String nodeId, Process process, Path log) {
    this.nodeId = nodeId;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code java -jar} on the jar named by system property {@code jarProperty}, with a small
   * heap, output to {@code <logs>/<nodeId>.log}.
   */
  static ServiceProcess start(String jarProperty, String nodeId, Path logs, Map<String, String> env)
      throws IOException {
    String jar = System.getProperty(jarProperty);
    if (jar == null || !new File(jar).isFile()) {
      throw new IllegalStateException(
          "System property "
              + jarProperty
              + " must name a built jar (./mvnw -DskipTests package), got "
              + jar);
    }
    Files.createDirectories(logs);
    Path log = logs.resolve(nodeId + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xms32m",
            "-Xmx128m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Djava.net.preferIPv4Stack=true"));
    command.addAll(List.of("-jar", jar));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().keySet().removeIf(k -> OWN_PREFIXES.stream().anyMatch(k::startsWith));
    builder.environment().put("NODE_ID", nodeId);
    builder.environment().putAll(env);
    return new ServiceProcess(nodeId, builder.start(), log);
  }

  String nodeId() {
    return nodeId;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, without waiting. */
  void terminate() {
    process.destroy();
  }

  /** Waits until {@code deadline} (System.nanoTime) for the process to exit, then SIGKILL. */
  void awaitExit(long deadline) throws InterruptedException {
    long left = deadline - System.nanoTime();
    if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM, up to 10 s to stop, then SIGKILL. */
  @Override
  public void close() {
    terminate();
    try {
      awaitExit(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** For a shutdown hook: SIGKILL without waiting. */
  void kill() {
    process.destroyForcibly();
  }
}
