package io.roundhouse.deploy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.roundhouse.deploy.ChecksCanFailTest.Case;
import io.roundhouse.deploy.k8s.Manifests;
import java.util.stream.Stream;

/**
 * {@link ChecksCanFailTest} cases for the Service checks: selectors, target ports, exposure,
 * cluster discovery.
 */
final class BrokenServices {

  private BrokenServices() {}

  static Stream<Case> cases() {
    String dev = "overlays/dev";
    return Stream.of(
        new Case(
            "serviceSelectors",
            dev,
            o -> o.service("lb-service").getSpec().getSelector().put(Manifests.NAME, "lb"),
            "serviceSelectors",
            "Service/lb-service: selector"),
        new Case(
            "targetPorts",
            dev,
            o ->
                o.service("lb-service-admin")
                    .getSpec()
                    .getPorts()
                    .get(0)
                    .setTargetPort(new IntOrString("admim")),
            "targetPorts",
            "targets admim, which no container of Deployment/lb-service declares"),
        new Case(
            "publicServices",
            dev,
            o ->
                o.service("lb-service")
                    .getSpec()
                    .getPorts()
                    .add(
                        new ServicePort(
                            null, "admin", null, 8081, "TCP", new IntOrString("admin"))),
            "publicServices",
            "Service/lb-service (LoadBalancer): exposes port 8081 (admin)"),
        new Case(
            "clusterDiscovery: not-ready pods",
            dev,
            o -> o.service("roundhouse-cluster").getSpec().setPublishNotReadyAddresses(false),
            "clusterDiscovery",
            "Service/roundhouse-cluster: publishNotReadyAddresses is not true"),
        new Case(
            "clusterDiscovery: DNS name",
            dev,
            o ->
                o.container("ws-service")
                    .getEnv()
                    .add(
                        new EnvVar(
                            "CLUSTER_K8S_SERVICE_DNS",
                            "roundhouse-cluster.default.svc.cluster.local",
                            null)),
            "clusterDiscovery",
            "CLUSTER_K8S_SERVICE_DNS roundhouse-cluster.default.svc.cluster.local is not"));
  }
}
