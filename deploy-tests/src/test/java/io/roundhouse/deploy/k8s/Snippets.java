package io.roundhouse.deploy.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The deliberately broken manifests under test resources {@code io/roundhouse/deploy/k8s/broken}.
 */
final class Snippets {

  private Snippets() {}

  static String text(String name) {
    try (InputStream in =
        Objects.requireNonNull(
            Snippets.class.getResourceAsStream("broken/" + name), "no snippet " + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<HasMetadata> parse(String name) {
    return StrictManifests.parse(text(name), name);
  }

  /** Checks over a snippet, with a few settings per service standing in for the scan. */
  static ManifestChecks checks(String name) {
    Set<String> cluster = Set.of("POD_NAME", "POD_IP", "CLUSTER_MODE", "CLUSTER_K8S_SERVICE_DNS");
    Map<String, Set<String>> known =
        Map.of(
            "ws-service", union(cluster, Set.of("WS_HOST", "WS_PORT")),
            "echo-service", union(cluster, Set.of("ECHO_HOST", "ECHO_PORT")),
            "lb-service", union(cluster, Set.of("LB_ADMIN_HOST", "LB_STRATEGY")));
    return new ManifestChecks(parse(name), known, null);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    return new java.util.HashSet<>(java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
  }
}
