package io.roundhouse.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrictManifestsTest {

  @Test
  void parsesEveryDocumentIntoItsModelClass() {
    List<HasMetadata> objects =
        StrictManifests.parse(
            """
            # a comment-only document is skipped
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: a
            data:
              EVENTBUS_PORT: "5801"
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: b
            spec:
              clusterIP: None
              publishNotReadyAddresses: true
              ports:
                - port: 5701
                  targetPort: hazelcast
            """,
            "inline");

    assertThat(objects).hasExactlyElementsOfTypes(ConfigMap.class, Service.class);
    assertThat(((Service) objects.get(1)).getSpec().getPorts().get(0).getTargetPort().getStrVal())
        .isEqualTo("hazelcast");
  }

  @Test
  void unknownFieldsAreFoundAtAnyDepth() {
    assertThatThrownBy(() -> Snippets.parse("unknown-field.yaml"))
        .hasMessageContaining("unknown field spec.replica")
        .hasMessageContaining("unknown field spec.template.spec.containers[0].livenesProbe");
  }

  @Test
  void theWalkerReportsNothingOnAKnownObject() {
    assertThat(UnknownFields.find(Snippets.parse("selector-mismatch.yaml").get(0))).isEmpty();
  }

  @Test
  void unknownKindsAndRemovedApiVersionsFail() {
    assertThatThrownBy(() -> Snippets.parse("unknown-kind.yaml"))
        .hasMessageContaining("document 2 (Deploymnet/ws-service): unknown kind Deploymnet")
        .hasMessageContaining(
            "document 3 (Deployment/echo-service): unknown kind Deployment in extensions/v1beta2")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("document 1"));
  }

  @Test
  void wrongTypesFailEvenWhereJacksonWouldCoerce() {
    assertThatThrownBy(() -> Snippets.parse("wrong-type.yaml"))
        .hasMessageContaining("document 1 (Pod/numbers): does not fit the Kubernetes model")
        .hasMessageContaining("Integer value (5801)")
        .hasMessageContaining("document 2 (Deployment/ws-service): does not fit")
        .hasMessageContaining("\"two\"");
  }

  @Test
  void removedApiVersionsTheModelStillKnowsAreCaughtByTheChecks() {
    assertThat(Snippets.checks("old-api-version.yaml").run("apiVersions"))
        .containsExactly(
            "PodDisruptionBudget/ws-service: apiVersion policy/v1beta1, expected policy/v1");
  }
}
