package io.roundhouse.deploy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.roundhouse.deploy.ChecksCanFailTest.Case;
import java.util.stream.Stream;

/**
 * {@link ChecksCanFailTest} cases for the container checks: ports, probes, environment, images,
 * shutdown, security, resources.
 */
final class BrokenContainers {

  private BrokenContainers() {}

  static Stream<Case> cases() {
    String dev = "overlays/dev";
    return Stream.of(
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
            "serviceLinks",
            dev,
            o ->
                o.deployment("ws-service")
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .setEnableServiceLinks(null),
            "serviceLinks",
            "Deployment/ws-service: enableServiceLinks is not false"),
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
            "resources",
            dev,
            o ->
                o.container("echo-service")
                    .getResources()
                    .getRequests()
                    .put("memory", new Quantity("1Gi")),
            "resources",
            "memory request 1Gi is not within the limit"));
  }
}
