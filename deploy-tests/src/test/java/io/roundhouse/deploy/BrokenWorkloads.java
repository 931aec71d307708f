package io.roundhouse.deploy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.roundhouse.deploy.ChecksCanFailTest.Case;
import io.roundhouse.deploy.k8s.Manifests;
import java.util.stream.Stream;

/**
 * {@link ChecksCanFailTest} cases for the Deployment checks: selectors, rollouts, disruption
 * budgets, autoscalers.
 */
final class BrokenWorkloads {

  private BrokenWorkloads() {}

  static Stream<Case> cases() {
    String dev = "overlays/dev";
    return Stream.of(
        new Case(
            "deploymentSelectors",
            dev,
            o ->
                o.deployment("ws-service")
                    .getSpec()
                    .getSelector()
                    .getMatchLabels()
                    .remove(Manifests.NAME),
            "deploymentSelectors",
            "Deployment/ws-service: selector also matches the pods of Deployment/lb-service"),
        new Case(
            "rollingUpdates",
            dev,
            o -> {
              var rolling = o.deployment("lb-service").getSpec().getStrategy().getRollingUpdate();
              rolling.setMaxUnavailable(new IntOrString("25%"));
              rolling.setMaxSurge(new IntOrString("25%"));
            },
            "rollingUpdates",
            "maxUnavailable 25% / maxSurge 25% is not one pod at a time"),
        new Case(
            "disruptionBudgets",
            dev,
            o ->
                o.get(PodDisruptionBudget.class, "echo-service")
                    .getSpec()
                    .setMaxUnavailable(new IntOrString(0)),
            "disruptionBudgets",
            "maxUnavailable 0 blocks every node drain"),
        new Case(
            "autoscalers",
            "overlays/production",
            o -> o.deployment("ws-service").getSpec().setReplicas(3),
            "autoscalers",
            "Deployment/ws-service: sets replicas 3 though HorizontalPodAutoscaler/ws-service owns"));
  }
}
