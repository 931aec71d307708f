package io.roundhouse.deploy;

import static io.roundhouse.deploy.ComposeYaml.environment;
import static io.roundhouse.deploy.ComposeYaml.map;
import static io.roundhouse.deploy.ComposeYaml.services;
import static io.roundhouse.deploy.ComposeYaml.strings;
import static io.roundhouse.deploy.ComposeYaml.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.config.Settings;
import io.roundhouse.deploy.k8s.KnownSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and its host-network override against the code and the Dockerfiles; and
 * docker-compose's own validation of them, with and without the monitoring profile.
 */
class ComposeFileTest {

  /** Read by the images' entrypoint, not by the services. */
  private static final Set<String> ENTRYPOINT_SETTINGS = Set.of("JAVA_OPTS");

  private static final Path ROOT = RepoRoot.path();
  private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
  private static final Path HOST_NETWORK = ROOT.resolve("deploy/compose/host-network.yml");
  private static final Path MONITORING = ROOT.resolve("deploy/monitoring");

  private static Map<String, Object> compose;
  private static Map<String, Object> hostNetwork;

  @BeforeAll
  static void load() {
    compose = yaml(COMPOSE);
    hostNetwork = yaml(HOST_NETWORK);
  }

  // ------------------------------------------------------------------ docker-compose itself

  @Test
  void dockerComposeAcceptsTheFilesWithAndWithoutTheMonitoringProfile() {
    Path dockerCompose = ContainerTools.onPath("docker-compose");
    ContainerTools.require(
        dockerCompose == null ? List.of("docker-compose") : List.of(),
        "apt-get install docker-compose");
    List<List<String>> invocations =
        List.of(
            List.of("-f", "docker-compose.yml", "config", "-q"),
            List.of("-f", "docker-compose.yml", "--profile", "monitoring", "config", "-q"),
            List.of(
                "-f",
                "docker-compose.yml",
                "-f",
                "deploy/compose/host-network.yml",
                "config",
                "-q"));
    for (List<String> args : invocations) {
      List<String> command = new ArrayList<>();
      command.add(dockerCompose.toString());
      command.addAll(args);
      // Without the variables the override reads: its defaults must do.
      Map<String, String> env = new HashMap<>();
      env.put("COMPOSE_PROJECT_NAME", "roundhouse-config-check");
      ContainerTools.Result r = ContainerTools.run(command, ROOT, env, 60);
      assertThat(r.exitCode()).as("%s:%n%s", String.join(" ", command), r.output()).isZero();
    }
  }

  @Test
  void theFileUsesNoKeyDockerCompose129Rejects() {
    assertThat(compose).doesNotContainKeys("name", "version");
    for (Map<String, Object> service : services(compose).values()) {
      Map<String, Object> hc = map(service.get("healthcheck"));
      assertThat(hc).doesNotContainKey("start_interval");
      if (service.get("depends_on") instanceof Map<?, ?> dependsOn) {
        dependsOn.values().forEach(d -> assertThat(map(d)).doesNotContainKey("required"));
      }
    }
  }

  // ------------------------------------------------------------------ the services

  @Test
  void everyServiceIsBuiltFromItsDockerfileUnderItsImageName() {
    Map<String, Map<String, Object>> services = services(compose);
    for (ContainerServices s : ContainerServices.ALL) {
      Map<String, Object> service = services.get(s.module());
      assertThat(service).as("service %s", s.module()).isNotNull();
      assertThat(service.get("build")).as("%s build", s.module()).isEqualTo(s.module());
      assertThat(ROOT.resolve(s.module()).resolve("Dockerfile")).isRegularFile();
      assertThat(service.get("image"))
          .isEqualTo("roundhouse/" + s.module() + ":" + ContainerServices.imageTag());
      assertThat(service).as("no profile: always up").doesNotContainKey("profiles");
    }
  }

  @Test
  void backendsScaleNoFixedNamesNoHostPorts() {
    services(compose)
        .forEach(
            (name, service) ->
                assertThat(service)
                    .as("%s container_name", name)
                    .doesNotContainKey("container_name"));
    for (ContainerServices s : List.of(ContainerServices.ECHO, ContainerServices.WS)) {
      assertThat(services(compose).get(s.module())).as(s.module()).doesNotContainKey("ports");
    }
  }

  @Test
  void theBalancerPublishesItsPortsTheAdminPortOnLoopbackOnly() {
    List<String> ports = strings(services(compose).get("lb-service").get("ports"));
    Map<Integer, String> published = new HashMap<>();
    for (String p : ports) {
      // "9000:9000/udp": the UDP flows on the TCP port's number.
      String[] parts = p.replaceFirst("/udp$", "").split(":");
      int container = Integer.parseInt(parts[parts.length - 1]);
      String hostIp = parts.length == 3 ? parts[0] : "";
      assertThat(parts[parts.length - 2])
          .as("published on the same port: %s", p)
          .isEqualTo(String.valueOf(container));
      published.put(container, hostIp);
    }
    assertThat(published)
        .containsOnlyKeys(
            io.roundhouse.lb.LbConfig.DEFAULT_TCP_PORT,
            io.roundhouse.lb.LbConfig.DEFAULT_HTTP_PORT,
            io.roundhouse.lb.LbConfig.DEFAULT_ADMIN_PORT)
        .containsEntry(io.roundhouse.lb.LbConfig.DEFAULT_ADMIN_PORT, "127.0.0.1");
    Set<Integer> exposed = exposed(ContainerServices.LB);
    assertThat(exposed).as("lb-service's EXPOSE").containsAll(published.keySet());
  }

  @Test
  void everyEnvironmentVariableIsASettingTheCodeReads() {
    Set<String> known = new TreeSet<>(KnownSettings.ofAnyService(RepoRoot.path()));
    known.addAll(ENTRYPOINT_SETTINGS);
    for (Map<String, Object> file : List.of(compose, hostNetwork)) {
      for (ContainerServices s : ContainerServices.ALL) {
        Map<String, Object> service = services(file).get(s.module());
        for (String key : environment(service).keySet()) {
          assertThat(known).as("%s sets %s", s.module(), key).contains(key);
        }
      }
    }
  }

  @Test
  void everyNodeJoinsInStaticModeListingEveryService() {
    Set<String> ours =
        ContainerServices.ALL.stream().map(ContainerServices::module).collect(Collectors.toSet());
    for (ContainerServices s : ContainerServices.ALL) {
      Map<String, String> env = environment(services(compose).get(s.module()));
      assertThat(env).as(s.module()).containsEntry("CLUSTER_MODE", "static");
      assertThat(Set.of(env.get("CLUSTER_MEMBERS").split(",")))
          .as("%s CLUSTER_MEMBERS", s.module())
          .isEqualTo(ours);
      assertThat(env)
          .as("not set: the entrypoint finds the container's IP")
          .doesNotContainKeys("CLUSTER_HOST", "NODE_ID");
    }
  }

  @Test
  void dockerWaitsLongerThanTheShutdownGrace() {
    for (ContainerServices s : ContainerServices.ALL) {
      Map<String, Object> service = services(compose).get(s.module());
      Map<String, String> env = environment(service);
      assertThat(env).as(s.module()).containsKey("SHUTDOWN_GRACE");
      Duration grace = duration(env.get("SHUTDOWN_GRACE"));
      Duration stop = duration(String.valueOf(service.get("stop_grace_period")));
      assertThat(stop)
          .as("%s stop_grace_period: SHUTDOWN_GRACE and time to leave the cluster", s.module())
          .isGreaterThanOrEqualTo(grace.plusSeconds(5));
    }
  }

  @Test
  void theBalancerWaitsForHealthyBackendsWhichHaveAHealthCheck() {
    Map<String, Object> dependsOn = map(services(compose).get("lb-service").get("depends_on"));
    assertThat(dependsOn).containsOnlyKeys("echo-service", "ws-service");
    dependsOn
        .values()
        .forEach(d -> assertThat(map(d)).containsEntry("condition", "service_healthy"));
    for (String backend : dependsOn.keySet()) {
      ParsedDockerfile d = ParsedDockerfile.read(ROOT.resolve(backend).resolve("Dockerfile"));
      assertThat(d.last("HEALTHCHECK")).as("%s HEALTHCHECK", backend).isNotNull();
      assertThat(services(compose).get(backend)).doesNotContainKey("healthcheck");
    }
  }

  // ------------------------------------------------------------------ host-network override

  @Test
  void theHostNetworkOverridePutsEveryServiceOnTheHostAndCreatesNoNetwork() {
    assertThat(map(map(hostNetwork.get("networks")).get("default")))
        .as("the default network is the host's: Compose creates no bridge")
        .containsEntry("external", true)
        .containsEntry("name", "host");
    for (ContainerServices s : ContainerServices.ALL) {
      Map<String, Object> service = services(hostNetwork).get(s.module());
      assertThat(service).as(s.module()).containsEntry("network_mode", "host");
      Map<String, String> env = environment(service);
      assertThat(env)
          .containsEntry("CLUSTER_MODE", "local")
          .containsEntry("CLUSTER_HOST", "127.0.0.1");
      for (String bind : s.bindHosts()) {
        assertThat(env).as("%s %s", s.module(), bind).containsEntry(bind, "127.0.0.1");
      }
    }
    // Backends on kernel-chosen ports, so that they scale on one host; no probe of fixed ports.
    assertThat(environment(services(hostNetwork).get("echo-service")))
        .containsEntry("ECHO_PORT", "0")
        .containsEntry("ECHO_ADMIN_PORT", "0");
    assertThat(environment(services(hostNetwork).get("ws-service"))).containsEntry("WS_PORT", "0");
    for (String backend : List.of("echo-service", "ws-service")) {
      assertThat(map(services(hostNetwork).get(backend).get("healthcheck")))
          .containsEntry("disable", true);
    }
    map(services(hostNetwork).get("lb-service").get("depends_on"))
        .values()
        .forEach(d -> assertThat(map(d)).containsEntry("condition", "service_started"));
  }

  // ------------------------------------------------------------------ helpers

  private Set<Integer> exposed(ContainerServices s) {
    return ParsedDockerfile.read(s.dockerfile()).exposed().stream()
        .map(p -> Integer.parseInt(p.replace("/tcp", "")))
        .collect(Collectors.toSet());
  }

  private static Duration duration(String value) {
    return Settings.of(Map.of("D", value)).duration("D", null);
  }
}
