package io.roundhouse.deploy;

import static io.roundhouse.deploy.ComposeYaml.environment;
import static io.roundhouse.deploy.ComposeYaml.list;
import static io.roundhouse.deploy.ComposeYaml.map;
import static io.roundhouse.deploy.ComposeYaml.services;
import static io.roundhouse.deploy.ComposeYaml.strings;
import static io.roundhouse.deploy.ComposeYaml.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.roundhouse.lb.backend.Backend;
import io.roundhouse.lb.backend.BackendMeters;
import io.roundhouse.metrics.NodeMetrics;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.stats.ConnectionCounter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitoring profile: Prometheus finds every replica of every service on its metrics port, and
 * Grafana is provisioned with Prometheus and a dashboard that queries metrics the services export.
 */
class MonitoringFilesTest {

  private static final Path ROOT = RepoRoot.path();
  private static final Path MONITORING = ROOT.resolve("deploy/monitoring");

  private static Map<String, Object> compose;

  @BeforeAll
  static void load() {
    compose = yaml(ROOT.resolve("docker-compose.yml"));
  }

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
}
