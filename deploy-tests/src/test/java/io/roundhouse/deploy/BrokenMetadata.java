package io.roundhouse.deploy;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.roundhouse.deploy.ChecksCanFailTest.Case;
import io.roundhouse.deploy.k8s.Manifests;
import java.util.stream.Stream;

/**
 * {@link ChecksCanFailTest} cases for the checks of what every object carries: API version,
 * namespace, labels, annotations.
 */
final class BrokenMetadata {

  private BrokenMetadata() {}

  static Stream<Case> cases() {
    String dev = "overlays/dev";
    return Stream.of(
        new Case(
            "apiVersions",
            dev,
            o -> o.get(PodDisruptionBudget.class, "ws-service").setApiVersion("policy/v1beta1"),
            "apiVersions",
            "apiVersion policy/v1beta1"),
        new Case(
            "namespaces",
            dev,
            o -> o.deployment("ws-service").getMetadata().setNamespace("default"),
            "namespaces",
            "Deployment/ws-service: namespace default"),
        new Case(
            "labels",
            dev,
            o -> o.service("lb-service-admin").getMetadata().getLabels().remove(Manifests.PART_OF),
            "labels",
            "Service/lb-service-admin: label app.kubernetes.io/part-of"),
        new Case(
            "prometheusAnnotations",
            dev,
            o ->
                o.deployment("ws-service")
                    .getSpec()
                    .getTemplate()
                    .getMetadata()
                    .getAnnotations()
                    .put("prometheus.io/port", "8081"),
            "prometheusAnnotations",
            "prometheus.io/port is 8081, /metrics is on 8000"));
  }
}
