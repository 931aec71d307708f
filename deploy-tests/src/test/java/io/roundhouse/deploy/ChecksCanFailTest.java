package io.roundhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.roundhouse.deploy.k8s.ManifestChecks;
import io.roundhouse.deploy.k8s.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every check passes on a rendered overlay and fails once that overlay is broken in the one way the
 * check is about; {@link ManifestChecks#all()} reports it too. The broken copies are made in
 * memory.
 */
class ChecksCanFailTest {

  record Case(
      String name, String overlay, Consumer<Objects> breakIt, String check, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The rendered objects, with shortcuts to the ones the cases break. */
  record Objects(List<HasMetadata> all) {
    <T extends HasMetadata> T get(Class<T> type, String name) {
      return all.stream()
          .filter(type::isInstance)
          .map(type::cast)
          .filter(o -> o.getMetadata().getName().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + "/" + name));
    }

    Deployment deployment(String name) {
      return get(Deployment.class, name);
    }

    Container container(String deployment) {
      return deployment(deployment).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    Service service(String name) {
      return get(Service.class, name);
    }
  }

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
            "probes",
            dev,
            o ->
                o.container("echo-service")
                    .getReadinessProbe()
                    .getHttpGet()
                    .setPort(new IntOrString("echo")),
            "probes",
            "readinessProbe: port 7000 does not serve /health; 7080 does"),
        new Case(
            "envVarsKnown",
            dev,
            o ->
                o.container("lb-service")
                    .getEnv()
                    .add(new EnvVar("LB_STRATGY", "round_robin", null)),
            "envVarsKnown",
            "LB_STRATGY (from env) is read by no code of lb-service"),
        new Case(
            "podIdentity",
            dev,
            o -> o.container("ws-service").getEnv().add(new EnvVar("NODE_ID", "ws-1", null)),
            "podIdentity",
            "NODE_ID is the same literal for every replica"),
        new Case(
            "podIdentity: bind address",
            dev,
            o -> o.container("ws-service").getEnv().removeIf(e -> e.getName().equals("WS_HOST")),
            "podIdentity",
            "WS_HOST is unset (loopback)"),
        new Case(
            "containerPorts",
            dev,
            o -> o.container("echo-service").getPorts().removeIf(p -> p.getContainerPort() == 5801),
            "containerPorts",
            "declares ports [5701, 7000, 7080] but echo-service listens on [5701, 5801, 7000, 7080]"),
        new Case(
            "portNames",
            dev,
            o -> o.container("ws-service").getPorts().get(0).setName("Hazelcast_port"),
            "portNames",
            "port name Hazelcast_port is not a valid IANA service name"),
        new Case(
            "images",
            dev,
            o -> o.container("ws-service").setImage("roundhouse/ws-service:latest"),
            "images",
            "image roundhouse/ws-service:latest has no pinned tag"),
        new Case(
            "terminationGrace",
            dev,
            o ->
                o.deployment("ws-service")
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .setTerminationGracePeriodSeconds(25L),
            "terminationGrace",
            "terminationGracePeriodSeconds 25 < preStop sleep 5 s + SHUTDOWN_GRACE 20 s + 5 s"),
        new Case(
            "terminationGrace: SHUTDOWN_GRACE",
            dev,
            o -> o.container("ws-service").getEnv().add(new EnvVar("SHUTDOWN_GRACE", "1m", null)),
            "terminationGrace",
            "SHUTDOWN_GRACE 60 s"),
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
            "CLUSTER_K8S_SERVICE_DNS roundhouse-cluster.default.svc.cluster.local is not"),
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
            "Deployment/ws-service: sets replicas 3 though HorizontalPodAutoscaler/ws-service owns"),
        new Case(
            "resources",
            dev,
            o ->
                o.container("echo-service")
                    .getResources()
                    .getRequests()
                    .put("memory", new Quantity("1Gi")),
            "resources",
            "memory request 1Gi is not within the limit"),
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
            "prometheus.io/port is 8081, /metrics is on 8000"),
        new Case(
            "securityContexts",
            dev,
            o ->
                o.deployment("lb-service")
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getSecurityContext()
                    .setRunAsNonRoot(null),
            "securityContexts",
            "Deployment/lb-service: runAsNonRoot is not set"),
        new Case(
            "serviceLinks",
            dev,
            o ->
                o.deployment("ws-service")
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .setEnableServiceLinks(null),
            "serviceLinks",
            "Deployment/ws-service: enableServiceLinks is not false"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachCheckPassesIntactAndFailsBroken(Case c) throws Exception {
    Objects intact = new Objects(KustomizeTest.render(c.overlay()));
    assertThat(KustomizeTest.checks(intact.all()).run(c.check())).isEmpty();

    Objects broken = new Objects(KustomizeTest.render(c.overlay()));
    c.breakIt().accept(broken);
    ManifestChecks checks = KustomizeTest.checks(broken.all());

    assertThat(checks.run(c.check())).anySatisfy(p -> assertThat(p).contains(c.expected()));
    assertThat(checks.all()).anySatisfy(p -> assertThat(p).contains(c.expected()));
  }

  @Test
  void dockerfilesAreComparedOnceThereAreAny(@TempDir Path root) throws Exception {
    List<HasMetadata> dev = KustomizeTest.render("overlays/dev");
    Files.createDirectories(root.resolve("ws-service"));
    Files.writeString(
        root.resolve("ws-service/Dockerfile"),
        "FROM eclipse-temurin:17-jre\nUSER 10001\nEXPOSE 8000 5701\n");
    ManifestChecks checks = new ManifestChecks(dev, Map.of(), root);

    assertThat(checks.run("dockerfiles")).isEmpty();

    Files.writeString(
        root.resolve("ws-service/Dockerfile"), "FROM eclipse-temurin:17-jre\nEXPOSE 8000\n");
    assertThat(checks.run("dockerfiles"))
        .singleElement()
        .asString()
        .endsWith("Dockerfile: container port 5701 is not EXPOSEd");
    assertThat(new ArrayList<>(checks.all())).contains(checks.run("dockerfiles").get(0));
  }
}
