package io.roundhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The container deployment end to end: runs {@code deploy/e2e/compose-e2e.sh}, which builds the
 * images, starts docker-compose.yml (host-network override) with 3 echo and 3 ws nodes on a private
 * Docker daemon and checks that connections through the balancer spread over them.
 *
 * <p>Needs root, dockerd, docker, docker-compose, debootstrap, python3 and curl: on CI (env CI) a
 * missing one fails the test, elsewhere it is skipped. The script's logs stay in {@code
 * target/compose-e2e}.
 */
class ComposeE2EIT {

  /** The script's own deadline for its steps; its clean-up is bounded on top of that. */
  private static final int SCRIPT_DEADLINE_S = 200;

  /** When the script is told to stop (SIGTERM: it cleans up), and then killed. */
  private static final int RUN_TIMEOUT_S = 305;

  private static final int CLEANUP_TIMEOUT_S = 40;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void composeClusterSpreadsConnectionsOverScaledNodes() throws Exception {
    Assumptions.assumeFalse(
        underSurefire(), "an integration test: Failsafe runs it (mvn verify), not Surefire");
    requireTools();
    Path root = RepoRoot.path();
    Path script = root.resolve("deploy/e2e/compose-e2e.sh");
    assertThat(script).isExecutable();
    Path target = root.resolve("deploy-tests/target");
    Files.createDirectories(target);
    Path output = target.resolve("compose-e2e-run.log");

    // Fixed paths dockerd, containerd and mount write to unless kept from them.
    List<Path> hostPaths =
        List.of(
            Path.of("/etc/docker/key.json"),
            Path.of("/run/docker"),
            Path.of("/run/containerd"),
            Path.of("/opt/containerd"),
            Path.of("/run/mount"),
            Path.of("/var/lib/docker"));
    List<Path> absentBefore = hostPaths.stream().filter(Files::notExists).toList();

    ProcessBuilder pb = new ProcessBuilder(script.toString()).directory(root.toFile());
    pb.environment().put("E2E_TIMEOUT", String.valueOf(SCRIPT_DEADLINE_S));
    pb.environment().put("E2E_LOG_DIR", target.resolve("compose-e2e").toString());
    pb.redirectErrorStream(true).redirectOutput(output.toFile());
    Process p = pb.start();
    boolean finished = p.waitFor(RUN_TIMEOUT_S, TimeUnit.SECONDS);
    if (!finished) {
      p.destroy(); // SIGTERM: the script stops the project and its daemon
      if (!p.waitFor(CLEANUP_TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
    String log = Files.readString(output);
    assertThat(finished)
        .as("compose-e2e.sh finished within %ds:%n%s", RUN_TIMEOUT_S, tail(log))
        .isTrue();
    assertThat(p.exitValue()).as("compose-e2e.sh exit code:%n%s", tail(log)).isZero();
    String summary = lastLine(log);
    assertThat(summary)
        .as("the script's summary")
        .startsWith("compose-e2e: PASS")
        .contains("3 echo + 3 ws nodes registered")
        .contains("spread evenly")
        .contains("one more ws node joined and took its share, and left on SIGTERM");
    assertThat(log)
        .contains("ok   ws: 30 connections over 3 nodes")
        .contains("ok   echo: 30 connections over 3 nodes")
        .contains("ok   every connection closed on the balancer");

    // Nothing left behind: the script's work directory (named by its PID) and its mounts.
    Path work = Path.of("/tmp/roundhouse-e2e-" + p.pid());
    assertThat(work).doesNotExist();
    assertThat(Files.readString(Path.of("/proc/self/mounts"))).doesNotContain(work.toString());
    assertThat(absentBefore).as("created outside its own directories").allMatch(Files::notExists);
  }

  private static void requireTools() throws IOException, InterruptedException {
    List<String> missing = new ArrayList<>();
    for (String tool : List.of("dockerd", "docker-compose", "debootstrap", "python3", "curl")) {
      if (ContainerTools.onPath(tool) == null) {
        missing.add(tool);
      }
    }
    if (!Files.isExecutable(Path.of("/usr/bin/docker"))
        && ContainerTools.onPath("docker") == null) {
      missing.add("docker");
    }
    Process id = new ProcessBuilder("id", "-u").start();
    String uid = new String(id.getInputStream().readAllBytes()).strip();
    id.waitFor();
    if (!uid.equals("0")) {
      missing.add("root (running as uid " + uid + ")");
    }
    ContainerTools.require(
        missing, "apt-get install docker.io docker-compose debootstrap; run as root");
  }

  /**
   * True in Surefire's fork: a {@code -Dtest} pattern such as {@code Compose*} matches this class
   * too. Failsafe puts the module's packaged jar on the class path, Surefire its classes directory.
   */
  private static boolean underSurefire() {
    if (System.getProperty("surefire.test.class.path") == null) {
      return false; // an IDE or a plain JUnit launcher: run
    }
    return !System.getProperty("java.class.path", "").matches("(?s).*deploy-tests-[^/:]*\\.jar.*");
  }

  private static String lastLine(String log) {
    List<String> lines = log.strip().lines().toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
