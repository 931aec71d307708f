package io.roundhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.roundhouse.deploy.k8s.KnownSettings;
import io.roundhouse.deploy.k8s.Kustomize;
import io.roundhouse.deploy.k8s.ManifestChecks;
import io.roundhouse.deploy.k8s.Manifests;
import io.roundhouse.deploy.k8s.RoundhouseService;
import io.roundhouse.deploy.k8s.StrictManifests;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders k8s/base and every overlay with {@code kubectl kustomize}, parses the result strictly
 * into the Kubernetes model and runs every {@link ManifestChecks} check on it. Without kubectl the
 * tests are skipped, unless {@code CI} is set: then they fail.
 */
class KustomizeTest {

  static Path k8s() {
    return RepoRoot.path().resolve("k8s");
  }

  /** k8s/base and every directory under k8s/overlays holding a kustomization. */
  static Stream<String> kustomizations() throws IOException {
    List<String> dirs = new ArrayList<>(List.of("base"));
    try (Stream<Path> overlays = Files.list(k8s().resolve("overlays"))) {
      overlays
          .filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
          .map(d -> "overlays/" + d.getFileName())
          .sorted()
          .forEach(dirs::add);
    }
    return dirs.stream();
  }

  static Path kubectl() {
    var kubectl = Kustomize.kubectl();
    if (kubectl.isEmpty()) {
      if (System.getenv("CI") != null) {
        fail("kubectl is not installed (or $KUBECTL not executable), and CI is set");
      }
      Assumptions.abort("kubectl not found: the k8s/ manifests are not rendered nor checked");
    }
    return kubectl.get();
  }

  private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();

  /** The objects {@code kubectl kustomize k8s/<dir>} renders, parsed afresh on every call. */
  static List<HasMetadata> render(String dir) throws Exception {
    Path kubectl = kubectl();
    String yaml = RENDERED.get(dir);
    if (yaml == null) {
      yaml = Kustomize.render(kubectl, k8s().resolve(dir));
      RENDERED.put(dir, yaml);
    }
    return StrictManifests.parse(yaml, "k8s/" + dir);
  }

  static Map<String, Set<String>> knownSettings() {
    Map<String, Set<String>> known = new HashMap<>();
    for (RoundhouseService s : RoundhouseService.values()) {
      known.put(s.module(), KnownSettings.ofService(RepoRoot.path(), s.module()));
    }
    return known;
  }

  static ManifestChecks checks(List<HasMetadata> objects) {
    return new ManifestChecks(objects, knownSettings(), RepoRoot.path());
  }

  @ParameterizedTest(name = "k8s/{0}")
  @MethodSource("kustomizations")
  void rendersIntoTheModelAndPassesEveryCheck(String dir) throws Exception {
    List<HasMetadata> objects = render(dir);

    assertThat(objects).extracting(HasMetadata::getKind).contains("Deployment", "Service");
    assertThat(checks(objects).all()).as("problems in k8s/" + dir).isEmpty();
  }

  @Test
  void thereAreDevAndProductionOverlays() throws IOException {
    assertThat(kustomizations()).contains("overlays/dev", "overlays/production");
  }

  @Test
  void everyServiceIsDeployedOnce() throws Exception {
    for (String dir : kustomizations().toList()) {
      assertThat(new Manifests(render(dir)).deployments())
          .as("k8s/" + dir)
          .extracting(d -> d.getMetadata().getName())
          .containsExactlyInAnyOrder("lb-service", "echo-service", "ws-service");
    }
  }

  @Test
  void baseRunsTwoBalancersWithADisruptionBudgetOfOne() throws Exception {
    Manifests base = new Manifests(render("base"));

    assertThat(replicas(base, "lb-service")).isEqualTo(2);
    assertThat(base.of(io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class))
        .filteredOn(p -> p.getMetadata().getName().equals("lb-service"))
        .singleElement()
        .satisfies(p -> assertThat(p.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1));
  }

  @Test
  void devIsOneBalancerTwoEchoAndThreeWsNodesWithoutAutoscaler() throws Exception {
    Manifests dev = new Manifests(render("overlays/dev"));

    assertThat(replicas(dev, "lb-service")).isEqualTo(1);
    assertThat(replicas(dev, "echo-service")).isEqualTo(2);
    assertThat(replicas(dev, "ws-service")).isEqualTo(3);
    // `kubectl scale deploy/ws-service` is the way to add nodes; an autoscaler would undo it.
    assertThat(dev.of(HorizontalPodAutoscaler.class)).isEmpty();
  }

  @Test
  void productionAutoscalesTheBalancersFromTwoAndTheBackendsOnCpu() throws Exception {
    Manifests production = new Manifests(render("overlays/production"));

    assertThat(production.of(HorizontalPodAutoscaler.class))
        .extracting(h -> h.getSpec().getScaleTargetRef().getName())
        .containsExactlyInAnyOrder("lb-service", "echo-service", "ws-service");
    for (HorizontalPodAutoscaler hpa : production.of(HorizontalPodAutoscaler.class)) {
      assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
      assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
    }
  }

  @Test
  void productionResourcesAreAboveDevs() throws Exception {
    Manifests dev = new Manifests(render("overlays/dev"));
    Manifests production = new Manifests(render("overlays/production"));
    for (RoundhouseService s : RoundhouseService.values()) {
      assertThat(memoryLimit(production, s.module()))
          .as(s.module())
          .isGreaterThan(memoryLimit(dev, s.module()));
    }
  }

  @Test
  void theScanFindsWhatTheServicesRead() {
    Map<String, Set<String>> known = knownSettings();

    // One of each way a setting is read, so a broken scan cannot pass the env check vacuously.
    assertThat(known.get("lb-service"))
        .contains("LB_TCP_PORT", "LB_ADMIN_HOST", "LB_STRATEGY", "LB_CONNECT_TIMEOUT")
        .contains("POD_NAME", "POD_IP", "NODE_ID", "CLUSTER_MODE", "CLUSTER_K8S_SERVICE_DNS")
        .contains("EVENTBUS_PORT", "METRICS_VERTX", "ROUNDHOUSE_CONFIG", "ROUNDHOUSE_LOG_LEVEL")
        .doesNotContain("WS_HOST", "ECHO_HOST");
    assertThat(known.get("echo-service")).contains("ECHO_HOST", "ECHO_ADMIN_PORT", "POD_IP");
    assertThat(known.get("ws-service")).contains("WS_HOST", "WS_MAX_FRAME_SIZE", "POD_IP");
  }

  private static int replicas(Manifests manifests, String name) {
    Deployment d = manifests.deployment(name).orElseThrow();
    return d.getSpec().getReplicas();
  }

  private static BigDecimal memoryLimit(Manifests manifests, String name) {
    Deployment d = manifests.deployment(name).orElseThrow();
    return Quantity.getAmountInBytes(
        d.getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getResources()
            .getLimits()
            .get("memory"));
  }
}
