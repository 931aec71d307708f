package io.roundhouse.deploy.k8s;

import static io.roundhouse.deploy.k8s.Model.containers;
import static io.roundhouse.deploy.k8s.Model.describe;
import static io.roundhouse.deploy.k8s.Model.id;
import static io.roundhouse.deploy.k8s.Model.isEmpty;
import static io.roundhouse.deploy.k8s.Model.matches;
import static io.roundhouse.deploy.k8s.Model.nonNull;
import static io.roundhouse.deploy.k8s.Model.podLabels;
import static io.roundhouse.deploy.k8s.Model.request;
import static io.roundhouse.deploy.k8s.Model.show;
import static io.roundhouse.deploy.k8s.Model.spread;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The Deployments: selectors, rollouts, disruption budgets and autoscalers. */
final class WorkloadChecks {

  private WorkloadChecks() {}

  /** Each Deployment's selector matches its own pods, and only its own. */
  static List<String> deploymentSelectors(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : m.deployments()) {
      LabelSelector selector = d.getSpec().getSelector();
      if (selector == null || isEmpty(selector)) {
        problems.add(id(d) + ": no selector");
        continue;
      }
      if (!matches(selector, podLabels(d))) {
        problems.add(
            id(d)
                + ": selector "
                + describe(selector)
                + " does not match its pod template's labels "
                + podLabels(d));
      }
      for (Deployment other : m.deployments()) {
        if (other != d && matches(selector, podLabels(other))) {
          problems.add(id(d) + ": selector also matches the pods of " + id(other));
        }
      }
      for (TopologySpreadConstraint spread : spread(d)) {
        if (!matches(spread.getLabelSelector(), podLabels(d))) {
          problems.add(id(d) + ": topology spread selector does not match its own pods");
        }
      }
    }
    return problems;
  }

  /** Rollouts replace one pod at a time. */
  static List<String> rollingUpdates(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : m.deployments()) {
      var strategy = d.getSpec().getStrategy();
      RollingUpdateDeployment rolling = strategy == null ? null : strategy.getRollingUpdate();
      if (strategy == null || !"RollingUpdate".equals(strategy.getType()) || rolling == null) {
        problems.add(id(d) + ": no RollingUpdate strategy with explicit limits");
        continue;
      }
      String unavailable = show(rolling.getMaxUnavailable());
      String surge = show(rolling.getMaxSurge());
      boolean oneAtATime =
          (unavailable.equals("0") && surge.equals("1"))
              || (unavailable.equals("1") && surge.equals("0"));
      if (!oneAtATime) {
        problems.add(
            id(d)
                + ": maxUnavailable "
                + unavailable
                + " / maxSurge "
                + surge
                + " is not one pod at a time");
      }
    }
    return problems;
  }

  /** Each Deployment has a PodDisruptionBudget that still lets a node drain. */
  static List<String> disruptionBudgets(Manifests m) {
    List<String> problems = new ArrayList<>();
    List<PodDisruptionBudget> pdbs = m.of(PodDisruptionBudget.class);
    for (PodDisruptionBudget pdb : pdbs) {
      if (m.deployments().stream()
          .noneMatch(d -> matches(pdb.getSpec().getSelector(), podLabels(d)))) {
        problems.add(id(pdb) + ": selects the pods of no Deployment");
      }
    }
    for (Deployment d : m.deployments()) {
      List<PodDisruptionBudget> mine =
          pdbs.stream().filter(p -> matches(p.getSpec().getSelector(), podLabels(d))).toList();
      if (mine.size() != 1) {
        problems.add(id(d) + ": " + mine.size() + " PodDisruptionBudgets, expected 1");
        continue;
      }
      var spec = mine.get(0).getSpec();
      if (spec.getMaxUnavailable() != null) {
        if (show(spec.getMaxUnavailable()).matches("0%?")) {
          problems.add(id(mine.get(0)) + ": maxUnavailable 0 blocks every node drain");
        }
      } else if (spec.getMinAvailable() != null) {
        Integer replicas = d.getSpec().getReplicas();
        IntOrString min = spec.getMinAvailable();
        if (min.getIntVal() != null && replicas != null && min.getIntVal() >= replicas) {
          problems.add(
              id(mine.get(0))
                  + ": minAvailable "
                  + min.getIntVal()
                  + " of "
                  + replicas
                  + " replicas blocks every node drain");
        }
      } else {
        problems.add(id(mine.get(0)) + ": neither maxUnavailable nor minAvailable");
      }
    }
    return problems;
  }

  /**
   * Autoscalers scale an existing Deployment on CPU within a sane range; the Deployment has CPU
   * requests (utilization is relative to them) and no replica count of its own (each apply would
   * reset the autoscaler's choice).
   */
  static List<String> autoscalers(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (HorizontalPodAutoscaler hpa : m.of(HorizontalPodAutoscaler.class)) {
      var spec = hpa.getSpec();
      var ref = spec.getScaleTargetRef();
      Optional<Deployment> target =
          m.deployments().stream()
              .filter(
                  d ->
                      "Deployment".equals(ref.getKind())
                          && "apps/v1".equals(ref.getApiVersion())
                          && d.getMetadata().getName().equals(ref.getName()))
              .findFirst();
      if (target.isEmpty()) {
        problems.add(id(hpa) + ": scales " + ref.getKind() + "/" + ref.getName() + ", not here");
        continue;
      }
      int min = spec.getMinReplicas() == null ? 1 : spec.getMinReplicas();
      if (min < 1 || spec.getMaxReplicas() == null || spec.getMaxReplicas() < min) {
        problems.add(id(hpa) + ": range " + min + ".." + spec.getMaxReplicas() + " is empty");
      }
      boolean cpu =
          nonNull(spec.getMetrics()).stream()
              .map(MetricSpec::getResource)
              .anyMatch(r -> r != null && "cpu".equals(r.getName()));
      if (!cpu) {
        problems.add(id(hpa) + ": no CPU metric");
      }
      Deployment d = target.get();
      if (d.getSpec().getReplicas() != null) {
        problems.add(
            id(d)
                + ": sets replicas "
                + d.getSpec().getReplicas()
                + " though "
                + id(hpa)
                + " owns the count");
      }
      for (Container c : containers(d)) {
        if (request(c, "cpu").isEmpty()) {
          problems.add(id(d) + " container " + c.getName() + ": no CPU request for " + id(hpa));
        }
      }
    }
    return problems;
  }
}
