package io.roundhouse.deploy.k8s;

import static io.roundhouse.deploy.k8s.Model.containers;
import static io.roundhouse.deploy.k8s.Model.id;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;

/** What the pods may do: no root, no privilege escalation. */
final class SecurityChecks {

  private SecurityChecks() {}

  /** Pods run as a non-root user without privilege escalation. */
  static List<String> securityContexts(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : m.deployments()) {
      PodSecurityContext pod = d.getSpec().getTemplate().getSpec().getSecurityContext();
      if (pod == null || !Boolean.TRUE.equals(pod.getRunAsNonRoot())) {
        problems.add(id(d) + ": runAsNonRoot is not set");
      }
      for (Container c : containers(d)) {
        var sc = c.getSecurityContext();
        if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
          problems.add(id(d) + " container " + c.getName() + ": allowPrivilegeEscalation");
        }
      }
    }
    return problems;
  }
}
