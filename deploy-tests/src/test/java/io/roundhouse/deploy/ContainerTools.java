package io.roundhouse.deploy;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** External commands for the container tests, and what to do when one is missing. */
final class ContainerTools {

  private ContainerTools() {}

  /** A finished command: its exit code and combined output. */
  record Result(int exitCode, String output) {}

  /** Whether this is CI (env CI set and not "false"), where a missing tool fails a test. */
  static boolean onCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
  }

  /** An executable on PATH, or null. */
  static Path onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Fails on CI, skips elsewhere, when {@code missing} names what is not there. */
  static void require(List<String> missing, String hint) {
    if (missing.isEmpty()) {
      return;
    }
    String message = "missing: " + String.join(", ", missing) + " (" + hint + ")";
    if (onCi()) {
      fail(message + "; CI must provide it");
    }
    Assumptions.abort(message);
  }

  /** Runs a command to its end (at most {@code timeoutSeconds}), output and error together. */
  static Result run(List<String> command, Path dir, Map<String, String> env, long timeoutSeconds) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
      pb.redirectErrorStream(true);
      pb.environment().putAll(env);
      Path out = Files.createTempFile("roundhouse-tool-", ".log");
      try {
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
          fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + "s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
