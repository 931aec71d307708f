package io.roundhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.deploy.k8s.KnownSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each service's Dockerfile against the code: base image, user, ports, jar, settings. */
class DockerfilesTest {

  static List<ContainerServices> services() {
    return ContainerServices.ALL;
  }

  private static ParsedDockerfile dockerfile(ContainerServices s) {
    assertThat(s.dockerfile()).as("%s/Dockerfile", s.module()).isRegularFile();
    return ParsedDockerfile.read(s.dockerfile());
  }

  @ParameterizedTest
  @MethodSource("services")
  void isBuiltOnTheTemurinJre(ContainerServices s) {
    assertThat(dockerfile(s).all("FROM"))
        .as("one stage, on eclipse-temurin:17-jre")
        .extracting(ParsedDockerfile.Instruction::args)
        .containsExactly("eclipse-temurin:17-jre");
  }

  @ParameterizedTest
  @MethodSource("services")
  void runsAsANumericNonRootUser(ContainerServices s) {
    String user = dockerfile(s).last("USER");
    assertThat(user).as("USER").isNotNull();
    // uid[:gid], numeric so that Kubernetes' runAsNonRoot can check it.
    assertThat(user).matches("[0-9]+(:[0-9]+)?");
    assertThat(Integer.parseInt(user.split(":")[0])).as("uid").isPositive();
    assertThat(user.split(":")).as("neither uid nor gid is root").doesNotContain("0");
  }

  @ParameterizedTest
  @MethodSource("services")
  void exposesExactlyTheDefaultPorts(ContainerServices s) {
    Set<Integer> exposed =
        dockerfile(s).exposed().stream()
            .map(p -> Integer.parseInt(p.replace("/tcp", "")))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(exposed)
        .as("EXPOSE in %s/Dockerfile", s.module())
        .isEqualTo(new TreeSet<>(s.ports()));
  }

  @ParameterizedTest
  @MethodSource("services")
  void copiesTheJarTheModuleBuildsAndRunsIt(ContainerServices s) {
    ParsedDockerfile d = dockerfile(s);
    assertThat(d.all("ADD")).as("COPY, not ADD").isEmpty();
    List<String> copy = List.of(d.last("COPY").split("\\s+"));
    assertThat(copy).as("COPY <jar> <dest>").hasSize(2);
    assertThat(copy.get(0)).isEqualTo(s.jar());
    String entrypoint = d.last("ENTRYPOINT");
    assertThat(entrypoint)
        .as("the entrypoint execs java on the copied jar, so java is PID 1 and gets SIGTERM")
        .contains("exec java ")
        .contains("-jar " + copy.get(1));
  }

  @ParameterizedTest
  @MethodSource("services")
  void theBuildContextIsTheJarAlone(ContainerServices s) {
    Path ignore = RepoRoot.path().resolve(s.module()).resolve(".dockerignore");
    assertThat(ignore).isRegularFile();
    List<String> rules =
        ContainerServices.read(ignore)
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertThat(rules).containsExactly("*", "!" + s.jar());
  }

  @ParameterizedTest
  @MethodSource("services")
  void bindsEveryInterfaceAndSetsOnlySettingsTheCodeReads(ContainerServices s) {
    Map<String, String> env = dockerfile(s).env();
    for (String bind : s.bindHosts()) {
      assertThat(env).as("ENV %s", bind).containsEntry(bind, "0.0.0.0");
    }
    Set<String> known = KnownSettings.ofAnyService(RepoRoot.path());
    for (String key : env.keySet()) {
      if (!key.equals("JDK_JAVA_OPTIONS")) {
        assertThat(known).as("ENV %s is a setting some service reads", key).contains(key);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("services")
  void sizesTheHeapByTheContainerAndPassesHazelcastsFlags(ContainerServices s) {
    String options = dockerfile(s).env().get("JDK_JAVA_OPTIONS");
    assertThat(options).as("JDK_JAVA_OPTIONS").isNotNull();
    List<String> flags = List.of(options.split("\\s+"));
    assertThat(flags)
        .anyMatch(f -> f.startsWith("-XX:MaxRAMPercentage="))
        .contains("-XX:+ExitOnOutOfMemoryError")
        .noneMatch(f -> f.startsWith("-Xmx"));
    assertThat(options)
        .as("the flags the root pom gives Hazelcast")
        .contains(String.join(" ", ContainerServices.hazelcastJvmArgs()));
  }

  @ParameterizedTest
  @MethodSource("services")
  void healthCheckProbesReadinessOnTheServicesOwnPort(ContainerServices s) {
    String check = dockerfile(s).last("HEALTHCHECK");
    assertThat(check).as("HEALTHCHECK").isNotNull().contains("/health/ready");
    assertThat(check)
        .as("probes the port the service reads, with the code's default")
        .contains("${" + s.healthPortSetting() + ":-" + s.healthPort() + "}");
    // curl and wget are not in the base image; bash is, in Ubuntu and Debian alike.
    assertThat(check).contains("/dev/tcp/127.0.0.1/").doesNotContain("curl").doesNotContain("wget");
  }

  @ParameterizedTest
  @MethodSource("services")
  void entrypointDefaultsTheClusterHostAndANodeIdPerContainer(ContainerServices s) {
    String entrypoint = dockerfile(s).last("ENTRYPOINT");
    assertThat(entrypoint)
        .contains("CLUSTER_HOST=${POD_IP:-$(hostname -i")
        .contains("export CLUSTER_HOST")
        .contains("NODE_ID=${POD_NAME:-" + s.nodePrefix() + "-")
        .contains("export NODE_ID");
    assertThat(KnownSettings.ofAnyService(RepoRoot.path()))
        .contains("CLUSTER_HOST", "NODE_ID", "POD_IP", "POD_NAME");
  }

  @ParameterizedTest
  @MethodSource("services")
  void theJarIsWhereTheDockerfileLooksWhenBuilt(ContainerServices s) {
    Path target = RepoRoot.path().resolve(s.module()).resolve("target");
    // Only once the module is packaged (mvn verify packages the services before this module).
    if (Files.isDirectory(target) && Files.exists(target.resolve("classes"))) {
      try (var files = Files.list(target)) {
        List<String> jars =
            files
                .map(p -> "target/" + p.getFileName())
                .filter(n -> n.endsWith("-all.jar"))
                .toList();
        if (!jars.isEmpty()) {
          assertThat(jars).contains(s.jar());
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
