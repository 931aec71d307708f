package io.roundhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.roundhouse.deploy.k8s.ManifestChecks;
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
 * memory; the cases are in the {@code Broken*} classes, one per theme of checks.
 */
class ChecksCanFailTest {

  /** Break {@code overlay} with {@code breakIt}, and {@code check} reports {@code expected}. */
  record Case(
      String name, String overlay, Consumer<Rendered> breakIt, String check, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The rendered objects, with shortcuts to the ones the cases break. */
  record Rendered(List<HasMetadata> all) {
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
    return Stream.of(
            BrokenMetadata.cases(),
            BrokenWorkloads.cases(),
            BrokenServices.cases(),
            BrokenContainers.cases())
        .flatMap(s -> s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachCheckPassesIntactAndFailsBroken(Case c) throws Exception {
    Rendered intact = new Rendered(KustomizeTest.render(c.overlay()));
    assertThat(KustomizeTest.checks(intact.all()).run(c.check())).isEmpty();

    Rendered broken = new Rendered(KustomizeTest.render(c.overlay()));
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
