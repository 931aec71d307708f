package io.roundhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.config.Settings;
import io.roundhouse.deploy.k8s.KnownSettings;
import io.roundhouse.lb.backend.Backend;
import io.roundhouse.lb.backend.BackendMeters;
import io.roundhouse.metrics.NodeMetrics;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml, its host-network override and the monitoring files against the code and the
 * Dockerfiles; and docker-compose's own validation of them.
 */
class ComposeFileTest {

  /**
   * Settings that the lead adds on main at the same time as these files: read by the code once
   * merged. Drop an entry when the scan finds it.
   */

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
      String[] parts = p.split(":");
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

  // ------------------------------------------------------------------ monitoring

  @Test
  void monitoringRunsOnlyInItsProfile() {
    for (String name : List.of("prometheus", "grafana")) {
      Map<String, Object> service = services(compose).get(name);
      assertThat(service).as(name).isNotNull();
      assertThat(strings(service.get("profiles"))).containsExactly("monitoring");
      for (String volume : strings(service.get("volumes"))) {
        Path source = ROOT.resolve(volume.split(":")[0]).normalize();
        assertThat(source).as("%s mounts %s", name, volume).exists();
      }
    }
  }

  @Test
  void prometheusDiscoversEveryReplicaOfEveryServiceOnItsMetricsPort() {
    Map<String, Object> prometheus = services(compose).get("prometheus");
    assertThat(strings(prometheus.get("volumes")))
        .contains(
            "./deploy/monitoring/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
    Map<String, Object> config = yaml(MONITORING.resolve("prometheus/prometheus.yml"));
    Map<String, Integer> scraped = new HashMap<>();
    for (Object o : list(config.get("scrape_configs"))) {
      Map<String, Object> job = map(o);
      assertThat(job.getOrDefault("metrics_path", "/metrics")).isEqualTo("/metrics");
      for (Object sd : list(job.get("dns_sd_configs"))) {
        Map<String, Object> dns = map(sd);
        assertThat(dns).as("job %s", job.get("job_name")).containsEntry("type", "A");
        for (String name : strings(dns.get("names"))) {
          assertThat(services(compose))
              .as("DNS name %s is a compose service", name)
              .containsKey(name);
          scraped.put(name, (Integer) dns.get("port"));
        }
      }
    }
    Map<String, Integer> expected = new HashMap<>();
    ContainerServices.ALL.forEach(s -> expected.put(s.module(), s.metricsPort()));
    assertThat(scraped).isEqualTo(expected);
    // Prometheus reaches the balancer's admin port only if it listens beyond loopback.
    assertThat(ParsedDockerfile.read(ContainerServices.LB.dockerfile()).env())
        .containsEntry("LB_ADMIN_HOST", "0.0.0.0");
  }

  @Test
  void grafanaIsProvisionedWithPrometheusAndTheDashboardFolder() {
    Map<String, Object> grafana = services(compose).get("grafana");
    Map<String, String> mounts = new HashMap<>();
    for (String volume : strings(grafana.get("volumes"))) {
      String[] parts = volume.split(":");
      mounts.put(parts[1], parts[0]);
    }
    assertThat(mounts)
        .containsEntry("/etc/grafana/provisioning", "./deploy/monitoring/grafana/provisioning");

    Map<String, Object> datasources =
        yaml(MONITORING.resolve("grafana/provisioning/datasources/prometheus.yml"));
    List<Object> list = list(datasources.get("datasources"));
    assertThat(list).hasSize(1);
    Map<String, Object> ds = map(list.get(0));
    assertThat(ds)
        .containsEntry("type", "prometheus")
        .containsEntry("url", "http://prometheus:9090");

    Map<String, Object> providers =
        yaml(MONITORING.resolve("grafana/provisioning/dashboards/roundhouse.yml"));
    Map<String, Object> provider = map(list(providers.get("providers")).get(0));
    String path = String.valueOf(map(provider.get("options")).get("path"));
    assertThat(mounts)
        .as("the provider's path is where the dashboards are mounted")
        .containsKey(path);
    Path dir = ROOT.resolve(mounts.get(path)).normalize();
    assertThat(dir.resolve("roundhouse-connections.json")).isRegularFile();
    String home = environment(grafana).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
    assertThat(home).startsWith(path + "/");
    assertThat(dir.resolve(home.substring(path.length() + 1))).isRegularFile();
  }

  @Test
  void theDashboardQueriesMetricsAndLabelsTheServicesExport() throws Exception {
    Map<String, Object> ds =
        map(
            list(yaml(MONITORING.resolve("grafana/provisioning/datasources/prometheus.yml"))
                    .get("datasources"))
                .get(0));
    JsonObject dashboard =
        new JsonObject(
            Files.readString(MONITORING.resolve("grafana/dashboards/roundhouse-connections.json")));
    assertThat(dashboard.getString("uid")).isNotBlank();
    Map<String, Set<String>> exported = exportedMetrics();

    List<String> exprs = new ArrayList<>();
    JsonArray panels = dashboard.getJsonArray("panels");
    assertThat(panels).isNotEmpty();
    for (int i = 0; i < panels.size(); i++) {
      JsonObject panel = panels.getJsonObject(i);
      assertThat(panel.getJsonObject("datasource").getString("uid"))
          .as("panel %s uses the provisioned datasource", panel.getString("title"))
          .isEqualTo(ds.get("uid"));
      JsonArray targets = panel.getJsonArray("targets");
      assertThat(targets).as("panel %s", panel.getString("title")).isNotEmpty();
      for (int t = 0; t < targets.size(); t++) {
        exprs.add(targets.getJsonObject(t).getString("expr"));
      }
    }
    String all = String.join("\n", exprs);
    assertThat(all)
        .contains("roundhouse_connections_active")
        .contains("roundhouse_backend_connections_active")
        .contains("rate(roundhouse_connections_total")
        .contains("process_files_open_files");

    Pattern metric = Pattern.compile("\\b((?:roundhouse|process|jvm|system|vertx)_[a-z0-9_]+)\\b");
    Pattern by = Pattern.compile("\\bby \\(([^)]*)\\)");
    for (String expr : exprs) {
      Set<String> labels = new HashSet<>();
      Matcher m = metric.matcher(expr);
      while (m.find()) {
        assertThat(exported).as("%s in %s is exported", m.group(1), expr).containsKey(m.group(1));
        labels.addAll(exported.get(m.group(1)));
      }
      Matcher b = by.matcher(expr);
      while (b.find()) {
        for (String label : b.group(1).split(",")) {
          assertThat(labels).as("label %s in %s", label.strip(), expr).contains(label.strip());
        }
      }
    }
  }

  /** The metric names and their label names as a balancer's /metrics serves them. */
  private static Map<String, Set<String>> exportedMetrics() {
    NodeMetrics metrics = NodeMetrics.create("lb-1", "lb");
    try {
      metrics.connections("tcp", new ConnectionCounter());
      new BackendMeters(metrics)
          .added(new Backend(new ServiceInstance("echo-1", "echo", "127.0.0.1", 7000, "m-1")));
      String scrape =
          ((io.micrometer.prometheusmetrics.PrometheusMeterRegistry) metrics.registry()).scrape();
      Map<String, Set<String>> out = new HashMap<>();
      Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)\\})? .*$");
      Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
      for (String l : scrape.split("\n")) {
        Matcher m = line.matcher(l);
        if (l.startsWith("#") || !m.matches()) {
          continue;
        }
        Set<String> labels = out.computeIfAbsent(m.group(1), k -> new HashSet<>());
        if (m.group(2) != null) {
          Matcher lm = label.matcher(m.group(2));
          while (lm.find()) {
            labels.add(lm.group(1));
          }
        }
      }
      return out;
    } finally {
      metrics.close();
    }
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

  static Map<String, Object> yaml(Path file) {
    assertThat(file).isRegularFile();
    Object loaded = new Yaml().load(ContainerServices.read(file));
    assertThat(loaded).as("%s holds a mapping", file).isInstanceOf(Map.class);
    return map(loaded);
  }

  private static Map<String, Map<String, Object>> services(Map<String, Object> file) {
    Map<String, Map<String, Object>> out = new HashMap<>();
    map(file.get("services")).forEach((k, v) -> out.put(k, map(v)));
    return out;
  }

  /** A service's environment in either compose form, values as strings. */
  private static Map<String, String> environment(Map<String, Object> service) {
    Object env = service.get("environment");
    Map<String, String> out = new HashMap<>();
    if (env instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
    } else if (env instanceof List<?> l) {
      for (Object o : l) {
        String[] kv = String.valueOf(o).split("=", 2);
        out.put(kv[0], kv.length > 1 ? kv[1] : null);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o == null ? Map.of() : (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }

  private static List<String> strings(Object o) {
    return list(o).stream().map(String::valueOf).toList();
  }
}
