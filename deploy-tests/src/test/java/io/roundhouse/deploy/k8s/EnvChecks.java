package io.roundhouse.deploy.k8s;

import static io.roundhouse.deploy.k8s.Model.containers;
import static io.roundhouse.deploy.k8s.Model.id;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.roundhouse.deploy.k8s.Manifests.Env;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The containers' environment: only settings the code reads, a pod identity of its own. */
final class EnvChecks {

  private static final Pattern WILDCARD = Pattern.compile("0\\.0\\.0\\.0|::|\\[::]");

  private EnvChecks() {}

  /** Every environment variable a manifest sets is one the service's code reads. */
  static List<String> envVarsKnown(Manifests m, Map<String, Set<String>> knownSettingsByModule) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : m.deployments()) {
      for (Container c : containers(d)) {
        Optional<RoundhouseService> service = RoundhouseService.ofImage(c.getImage());
        if (service.isEmpty()) {
          continue; // images() reports it
        }
        Set<String> known = knownSettingsByModule.getOrDefault(service.get().module(), Set.of());
        Map<String, Env> env = new LinkedHashMap<>();
        problems.addAll(m.environment(d, c, env));
        for (Env e : env.values()) {
          if (!known.contains(e.name())) {
            problems.add(
                id(d)
                    + " container "
                    + c.getName()
                    + ": "
                    + e.name()
                    + " (from "
                    + e.origin()
                    + ") is read by no code of "
                    + service.get().module());
          }
        }
      }
    }
    return problems;
  }

  /**
   * Each pod has an identity of its own and is reachable: POD_NAME and POD_IP from the downward
   * API, Kubernetes discovery, no per-node setting given one literal value for every replica, and
   * listeners bound to a wildcard so the registered pod IP reaches them.
   */
  static List<String> podIdentity(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : m.deployments()) {
      for (Container c : containers(d)) {
        String where = id(d) + " container " + c.getName();
        Map<String, Env> env = m.effectiveEnv(d, c);
        expectField(env, "POD_NAME", "metadata.name", where, problems);
        expectField(env, "POD_IP", "status.podIP", where, problems);
        Env mode = env.get("CLUSTER_MODE");
        if (mode == null || !"kubernetes".equalsIgnoreCase(mode.value())) {
          problems.add(where + ": CLUSTER_MODE is not kubernetes");
        }
        for (String perPod :
            List.of(
                "NODE_ID",
                "CLUSTER_HOST",
                "CLUSTER_PUBLIC_HOST",
                "ECHO_ADVERTISED_HOST",
                "WS_ADVERTISED_HOST")) {
          Env e = env.get(perPod);
          if (e != null && e.fieldPath() == null) {
            problems.add(
                where
                    + ": "
                    + perPod
                    + " is the same literal for every replica; leave it unset (it follows"
                    + " POD_NAME/POD_IP) or take it from the downward API");
          }
        }
        RoundhouseService.ofImage(c.getImage())
            .ifPresent(
                s -> {
                  for (String bind : s.bindHostSettings()) {
                    Env e = env.get(bind);
                    if (e == null && bind.equals("ECHO_ADMIN_HOST")) {
                      e = env.get("ECHO_HOST"); // the admin port follows ECHO_HOST
                    }
                    if (e == null && bind.equals("LB_HOST")) {
                      continue; // 0.0.0.0 by default
                    }
                    if (e == null || e.value() == null || !WILDCARD.matcher(e.value()).matches()) {
                      problems.add(
                          where
                              + ": "
                              + bind
                              + " is "
                              + (e == null ? "unset (loopback)" : e.value())
                              + "; a pod must bind 0.0.0.0 to be reachable on its IP");
                    }
                  }
                });
      }
    }
    return problems;
  }

  /**
   * No Service environment variables in the pods: Kubernetes would add {@code <SERVICE>_PORT} and
   * friends for every Service in the namespace, and a Service named {@code ws} or {@code echo}
   * would set WS_PORT or ECHO_PORT to {@code tcp://10.0.0.1:8000}, which the service refuses at
   * start.
   */
  static List<String> serviceLinks(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : m.deployments()) {
      if (!Boolean.FALSE.equals(d.getSpec().getTemplate().getSpec().getEnableServiceLinks())) {
        problems.add(id(d) + ": enableServiceLinks is not false");
      }
    }
    return problems;
  }

  private static void expectField(
      Map<String, Env> env, String name, String fieldPath, String where, List<String> problems) {
    Env e = env.get(name);
    if (e == null || !fieldPath.equals(e.fieldPath())) {
      problems.add(where + ": " + name + " is not taken from the downward API " + fieldPath);
    }
  }
}
