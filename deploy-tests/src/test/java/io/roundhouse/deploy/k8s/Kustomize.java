package io.roundhouse.deploy.k8s;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Renders a kustomization with {@code kubectl kustomize}, offline, as a child process. */
public final class Kustomize {

  private static final long TIMEOUT_SECONDS = 60;

  private Kustomize() {}

  /** kubectl from {@code $KUBECTL}, else the PATH, else /usr/bin or /usr/local/bin. */
  public static Optional<Path> kubectl() {
    String configured = System.getenv("KUBECTL");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.concat(
            Stream.of(path.split(File.pathSeparator)).filter(p -> !p.isBlank()).map(Path::of),
            Stream.of(Path.of("/usr/bin"), Path.of("/usr/local/bin")))
        .map(dir -> dir.resolve("kubectl"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** {@code kubectl kustomize dir}: the rendered YAML, or an exception with kubectl's error. */
  public static String render(Path kubectl, Path dir) throws IOException, InterruptedException {
    Path out = Files.createTempFile("kustomize", ".yaml");
    Path err = Files.createTempFile("kustomize", ".err");
    try {
      Process process =
          new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      process.getOutputStream().close();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "kubectl kustomize " + dir + " took over " + TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "kubectl kustomize "
                + dir
                + " failed ("
                + process.exitValue()
                + "): "
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
