package io.roundhouse.deploy.k8s;

import static io.roundhouse.deploy.k8s.Manifests.COMPONENT;
import static io.roundhouse.deploy.k8s.Manifests.NAME;
import static io.roundhouse.deploy.k8s.Manifests.NAMESPACE;
import static io.roundhouse.deploy.k8s.Manifests.PART_OF;
import static io.roundhouse.deploy.k8s.Model.containers;
import static io.roundhouse.deploy.k8s.Model.id;
import static io.roundhouse.deploy.k8s.Model.nonNull;
import static io.roundhouse.deploy.k8s.Model.podLabels;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every object carries: an API version a server serves, the namespace, labels, annotations.
 */
final class MetadataChecks {

  private MetadataChecks() {}

  /** The API versions a current server serves for the kinds used here (no beta leftovers). */
  static List<String> apiVersions(Manifests m) {
    Map<String, String> expected =
        Map.of(
            "Namespace", "v1",
            "ConfigMap", "v1",
            "Service", "v1",
            "Deployment", "apps/v1",
            "PodDisruptionBudget", "policy/v1",
            "HorizontalPodAutoscaler", "autoscaling/v2");
    List<String> problems = new ArrayList<>();
    for (HasMetadata o : m.objects()) {
      String want = expected.get(o.getKind());
      if (want == null) {
        problems.add(id(o) + ": a kind these checks do not know; add it to apiVersions()");
      } else if (!want.equals(o.getApiVersion())) {
        problems.add(id(o) + ": apiVersion " + o.getApiVersion() + ", expected " + want);
      }
    }
    return problems;
  }

  /** Everything in the one namespace, which is itself part of the manifests. */
  static List<String> namespaces(Manifests m) {
    List<String> problems = new ArrayList<>();
    boolean declared = false;
    for (HasMetadata o : m.objects()) {
      if (o instanceof Namespace) {
        declared |= NAMESPACE.equals(o.getMetadata().getName());
        continue;
      }
      if (!NAMESPACE.equals(o.getMetadata().getNamespace())) {
        problems.add(
            id(o) + ": namespace " + o.getMetadata().getNamespace() + ", expected " + NAMESPACE);
      }
    }
    if (!declared) {
      problems.add("no Namespace " + NAMESPACE);
    }
    return problems;
  }

  /** The recommended labels: name and part-of everywhere, component on workloads and pods. */
  static List<String> labels(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (HasMetadata o : m.objects()) {
      Map<String, String> labels = nonNull(o.getMetadata().getLabels());
      if (!labels.containsKey(NAME)) {
        problems.add(id(o) + ": no label " + NAME);
      }
      if (!NAMESPACE.equals(labels.get(PART_OF))) {
        problems.add(id(o) + ": label " + PART_OF + " is not " + NAMESPACE);
      }
      if (o instanceof Deployment d) {
        if (!labels.containsKey(COMPONENT)) {
          problems.add(id(o) + ": no label " + COMPONENT);
        }
        Map<String, String> pod = podLabels(d);
        for (String key : List.of(NAME, PART_OF, COMPONENT)) {
          if (!pod.containsKey(key)) {
            problems.add(id(o) + ": pod template has no label " + key);
          }
        }
      }
    }
    return problems;
  }

  /** prometheus.io annotations on each pod template, pointing at its /metrics port. */
  static List<String> prometheusAnnotations(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : m.deployments()) {
      Map<String, String> annotations =
          nonNull(d.getSpec().getTemplate().getMetadata().getAnnotations());
      if (!"true".equals(annotations.get("prometheus.io/scrape"))) {
        problems.add(id(d) + ": pod annotation prometheus.io/scrape is not \"true\"");
      }
      if (!"/metrics".equals(annotations.get("prometheus.io/path"))) {
        problems.add(id(d) + ": pod annotation prometheus.io/path is not /metrics");
      }
      String port = annotations.get("prometheus.io/port");
      for (Container c : containers(d)) {
        RoundhouseService.ofImage(c.getImage())
            .ifPresent(
                s -> {
                  String metricsPort =
                      String.valueOf(m.effectivePort(d, c, s.port(s.healthPortSetting())));
                  if (!metricsPort.equals(port)) {
                    problems.add(
                        id(d)
                            + ": pod annotation prometheus.io/port is "
                            + port
                            + ", /metrics is on "
                            + metricsPort);
                  }
                });
      }
    }
    return problems;
  }
}
