package io.roundhouse.deploy.k8s;

import static io.roundhouse.deploy.k8s.Model.containers;
import static io.roundhouse.deploy.k8s.Model.id;
import static io.roundhouse.deploy.k8s.Model.resolve;
import static io.roundhouse.deploy.k8s.Model.show;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The startup, liveness and readiness probes. */
final class ProbeChecks {

  private ProbeChecks() {}

  /**
   * Startup, liveness and readiness probes on every container, by HTTP, to a declared port that is
   * the one serving the service's health endpoints.
   */
  static List<String> probes(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : m.deployments()) {
      for (Container c : containers(d)) {
        String where = id(d) + " container " + c.getName();
        Optional<RoundhouseService> service = RoundhouseService.ofImage(c.getImage());
        Optional<Integer> healthPort =
            service.map(sv -> m.effectivePort(d, c, sv.port(sv.healthPortSetting())));
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("startupProbe", c.getStartupProbe());
        probes.put("livenessProbe", c.getLivenessProbe());
        probes.put("readinessProbe", c.getReadinessProbe());
        for (Map.Entry<String, Probe> e : probes.entrySet()) {
          Probe probe = e.getValue();
          String what = where + " " + e.getKey();
          if (probe == null) {
            problems.add(what + ": missing");
            continue;
          }
          HTTPGetAction http = probe.getHttpGet();
          if (http == null) {
            problems.add(what + ": not an httpGet probe");
            continue;
          }
          String path = e.getKey().equals("readinessProbe") ? "/health/ready" : "/health/live";
          if (!path.equals(http.getPath())) {
            problems.add(what + ": path " + http.getPath() + ", expected " + path);
          }
          Optional<ContainerPort> port = resolve(c, http.getPort());
          if (port.isEmpty()) {
            problems.add(what + ": port " + show(http.getPort()) + " is not a container port");
          } else if (healthPort.isPresent()
              && !healthPort.get().equals(port.get().getContainerPort())) {
            problems.add(
                what
                    + ": port "
                    + port.get().getContainerPort()
                    + " does not serve /health; "
                    + healthPort.get()
                    + " does");
          }
        }
      }
    }
    return problems;
  }
}
