package io.roundhouse.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root, where the Dockerfiles, docker-compose.yml and k8s/ live. */
final class RepoRoot {

  private RepoRoot() {}

  static Path path() {
    Path root = Path.of(System.getProperty("roundhouse.root", "..")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("mvnw"))) {
      throw new IllegalStateException("not the repository root: " + root);
    }
    return root;
  }
}
