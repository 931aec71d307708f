package io.roundhouse.deploy.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Consistency checks of one rendered set of manifests against each other and against the code.
 * Every check returns the problems it found, as sentences naming the object; none means it passed.
 * The checks themselves are grouped by theme in the {@code *Checks} classes beside this one.
 */
public final class ManifestChecks {

  private final Manifests manifests;
  private final List<Check> checks;

  /**
   * @param knownSettingsByModule the environment variables each service reads, by module name
   * @param repoRoot where {@code <module>/Dockerfile} may be found; null to skip those checks
   */
  public ManifestChecks(
      List<HasMetadata> objects, Map<String, Set<String>> knownSettingsByModule, Path repoRoot) {
    this.manifests = new Manifests(objects);
    Map<String, Set<String>> known = Map.copyOf(knownSettingsByModule);
    this.checks =
        List.of(
            Check.of("apiVersions", MetadataChecks::apiVersions),
            Check.of("namespaces", MetadataChecks::namespaces),
            Check.of("labels", MetadataChecks::labels),
            Check.of("deploymentSelectors", WorkloadChecks::deploymentSelectors),
            Check.of("serviceSelectors", ServiceChecks::serviceSelectors),
            Check.of("targetPorts", ServiceChecks::targetPorts),
            Check.of("probes", ProbeChecks::probes),
            Check.of("envVarsKnown", m -> EnvChecks.envVarsKnown(m, known)),
            Check.of("podIdentity", EnvChecks::podIdentity),
            Check.of("containerPorts", PortChecks::containerPorts),
            Check.of("portNames", PortChecks::portNames),
            Check.of("images", ImageChecks::images),
            Check.of("terminationGrace", ShutdownChecks::terminationGrace),
            Check.of("publicServices", ServiceChecks::publicServices),
            Check.of("clusterDiscovery", ServiceChecks::clusterDiscovery),
            Check.of("rollingUpdates", WorkloadChecks::rollingUpdates),
            Check.of("disruptionBudgets", WorkloadChecks::disruptionBudgets),
            Check.of("autoscalers", WorkloadChecks::autoscalers),
            Check.of("resources", ResourceChecks::resources),
            Check.of("prometheusAnnotations", MetadataChecks::prometheusAnnotations),
            Check.of("securityContexts", SecurityChecks::securityContexts),
            Check.of("serviceLinks", EnvChecks::serviceLinks),
            Check.of("dockerfiles", m -> ImageChecks.dockerfiles(m, repoRoot)));
  }

  /** Every check, in the order {@link #all()} runs them. */
  public List<Check> checks() {
    return checks;
  }

  /** The problems of the check of that name. */
  public List<String> run(String check) {
    return checks.stream()
        .filter(c -> c.name().equals(check))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no check " + check))
        .run(manifests);
  }

  /** Every check; the problems of all of them. */
  public List<String> all() {
    List<String> problems = new ArrayList<>();
    checks.forEach(c -> problems.addAll(c.run(manifests)));
    return problems;
  }

  /** The objects checked. */
  public Manifests manifests() {
    return manifests;
  }
}
