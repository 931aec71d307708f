package io.roundhouse.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each check on a manifest broken on purpose (test resources {@code broken/}). */
class ManifestChecksTest {

  @Test
  void aSelectorThatMissesItsOwnPodsFails() {
    assertThat(Snippets.checks("selector-mismatch.yaml").run("deploymentSelectors"))
        .singleElement()
        .asString()
        .startsWith("Deployment/ws-service: selector {app.kubernetes.io/name=ws-service}")
        .contains("does not match its pod template's labels {app.kubernetes.io/name=ws}");
  }

  @Test
  void aServiceSelectingNoPodsFails() {
    ManifestChecks checks = Snippets.checks("service-selector-mismatch.yaml");

    assertThat(checks.run("serviceSelectors"))
        .containsExactly(
            "Service/lb-service: selector {app.kubernetes.io/name=lb-servce} matches the pods of"
                + " no Deployment");
  }

  @Test
  void aTargetPortNoContainerDeclaresFails() {
    assertThat(Snippets.checks("service-selector-mismatch.yaml").run("targetPorts"))
        .containsExactly(
            "Service/lb-service-web: port http targets web, which no container of"
                + " Deployment/lb-service declares");
  }

  @Test
  void envVarsNoCodeReadsFail() {
    assertThat(Snippets.checks("unknown-env.yaml").run("envVarsKnown"))
        .containsExactlyInAnyOrder(
            "Deployment/ws-service container ws-service: CLUSTER_MOD (from ConfigMap"
                + " roundhouse-env) is read by no code of ws-service",
            "Deployment/ws-service container ws-service: WS_PROT (from env) is read by no code of"
                + " ws-service",
            "Deployment/ws-service container ws-service: LB_STRATEGY (from env) is read by no code"
                + " of ws-service");
  }

  @Test
  void theAdminPortOnALoadBalancerFails() {
    assertThat(Snippets.checks("lb-admin-public.yaml").run("publicServices"))
        .containsExactly(
            "Service/lb-service (LoadBalancer): exposes port 8081 (admin) of Deployment/lb-service,"
                + " which is not public");
  }

  @Test
  void dockerfilePortsAndUserAreComparedWithThePod(@TempDir Path dir) throws Exception {
    Path dockerfile = dir.resolve("Dockerfile");
    Files.writeString(
        dockerfile,
        """
        FROM maven AS build
        EXPOSE 1234
        FROM eclipse-temurin:17-jre
        # EXPOSE 4444 in a comment does not count
        USER 10001:10001
        EXPOSE 9000/tcp 8080 \\
               8081 5701
        """);

    assertThat(
            ImageChecks.dockerfileMismatches(
                dockerfile,
                "Deployment/lb-service",
                Set.of(9000, 8080, 8081, 5701, 5801),
                5801,
                10001L))
        .isEmpty();
    assertThat(
            ImageChecks.dockerfileMismatches(
                dockerfile,
                "Deployment/lb-service",
                Set.of(9000, 8080, 5701, 5801, 7777),
                5801,
                1000L))
        .containsExactlyInAnyOrder(
            "Deployment/lb-service vs " + dockerfile + ": EXPOSE 8081 is not a container port",
            "Deployment/lb-service vs " + dockerfile + ": container port 7777 is not EXPOSEd",
            "Deployment/lb-service vs " + dockerfile + ": USER 10001:10001 but runAsUser 1000");
  }
}
