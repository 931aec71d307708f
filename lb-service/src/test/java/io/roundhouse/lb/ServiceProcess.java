package io.roundhouse.lb;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A service started as its own JVM from the packaged jar; killed by PID, never by name. */
final class ServiceProcess implements AutoCloseable {

  private final String nodeId;
  private final Process process;
  private final Path log;

  private ServiceProcess(String nodeId, Process process, Path log) {
    this.nodeId = nodeId;
    this.process = process;
    this.log = log;
  }

  static ServiceProcess start(String jarProperty, String nodeId, Map<String, String> env)
      throws IOException {
    String jar = System.getProperty(jarProperty);
    if (jar == null || !new File(jar).isFile()) {
      throw new IllegalStateException(
          "System property " + jarProperty + " must name a built jar, got " + jar);
    }
    Path logs = Path.of(System.getProperty("roundhouse.it.logs", "target/it-logs"));
    Files.createDirectories(logs);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xms32m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of("-jar", jar));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Path log = logs.resolve(nodeId + ".log");
    builder.redirectOutput(log.toFile());
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

  /**
   * Waits until the process has logged a line matching {@code pattern}, such as the ports it bound;
   * fails if it exits first or the deadline passes.
   */
  Matcher awaitLog(Pattern pattern, Duration deadline) throws IOException, InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      for (String line : Files.readAllLines(log)) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError(nodeId + " exited before logging " + pattern + ", see " + log);
      }
      Thread.sleep(100);
    }
    throw new AssertionError(nodeId + " did not log " + pattern + " within " + deadline);
  }

  /** Everything the process has logged so far. */
  String log() throws IOException {
    return Files.readString(log);
  }

  /** How many file descriptors the process holds open now. */
  long openFds() {
    try (var fds = Files.list(Path.of("/proc", String.valueOf(process.pid()), "fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** SIGTERM: the orderly stop. */
  void terminate() {
    process.destroy();
  }

  /** Waits for the process to end and returns its exit status. */
  int awaitExit(Duration deadline) throws InterruptedException {
    if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(nodeId + " still running after " + deadline);
    }
    return process.exitValue();
  }

  /** SIGKILL: no deregistration, no goodbye to the cluster. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
