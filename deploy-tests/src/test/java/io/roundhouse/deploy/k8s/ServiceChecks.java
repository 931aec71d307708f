package io.roundhouse.deploy.k8s;

import static io.roundhouse.deploy.k8s.Model.containers;
import static io.roundhouse.deploy.k8s.Model.id;
import static io.roundhouse.deploy.k8s.Model.matches;
import static io.roundhouse.deploy.k8s.Model.nonNull;
import static io.roundhouse.deploy.k8s.Model.podLabels;
import static io.roundhouse.deploy.k8s.Model.resolve;
import static io.roundhouse.deploy.k8s.Model.show;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.roundhouse.deploy.k8s.Manifests.Env;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The Services: what they select and target, what is exposed outside the cluster, and the headless
 * Service Hazelcast discovers its members by.
 */
final class ServiceChecks {

  private ServiceChecks() {}

  /** Each Service selects the pods of some Deployment. */
  static List<String> serviceSelectors(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (Service s : m.services()) {
      Map<String, String> selector = nonNull(s.getSpec().getSelector());
      if (selector.isEmpty()) {
        problems.add(id(s) + ": no selector");
      } else if (m.selected(s).isEmpty()) {
        problems.add(id(s) + ": selector " + selector + " matches the pods of no Deployment");
      }
    }
    return problems;
  }

  /** Every Service port's target port (a number or a name) is a port of every pod it selects. */
  static List<String> targetPorts(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (Service s : m.services()) {
      for (ServicePort port : nonNull(s.getSpec().getPorts())) {
        IntOrString target =
            port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
        for (Deployment d : m.selected(s)) {
          if (containers(d).stream().noneMatch(c -> resolve(c, target).isPresent())) {
            problems.add(
                id(s)
                    + ": port "
                    + port.getName()
                    + " targets "
                    + show(target)
                    + ", which no container of "
                    + id(d)
                    + " declares");
          }
        }
      }
    }
    return problems;
  }

  /**
   * Services reachable from outside the cluster (LoadBalancer, NodePort) select only the balancer
   * and reach only its public ports: never the admin port, never a backend.
   */
  static List<String> publicServices(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (Service s : m.services()) {
      String type = s.getSpec().getType() == null ? "ClusterIP" : s.getSpec().getType();
      if (!type.equals("LoadBalancer") && !type.equals("NodePort")) {
        continue;
      }
      for (Deployment d : m.selected(s)) {
        for (Container c : containers(d)) {
          Optional<RoundhouseService> service = RoundhouseService.ofImage(c.getImage());
          Set<Integer> publicPorts = new TreeSet<>();
          service.ifPresent(
              sv ->
                  sv.ports().stream()
                      .filter(RoundhouseService.Listen::isPublic)
                      .forEach(l -> publicPorts.add(m.effectivePort(d, c, l))));
          for (ServicePort port : nonNull(s.getSpec().getPorts())) {
            IntOrString target =
                port.getTargetPort() != null
                    ? port.getTargetPort()
                    : new IntOrString(port.getPort());
            Optional<ContainerPort> resolved = resolve(c, target);
            if (resolved.isPresent() && !publicPorts.contains(resolved.get().getContainerPort())) {
              problems.add(
                  id(s)
                      + " ("
                      + type
                      + "): exposes port "
                      + resolved.get().getContainerPort()
                      + " ("
                      + resolved.get().getName()
                      + ") of "
                      + id(d)
                      + ", which is not public");
            }
          }
        }
      }
    }
    return problems;
  }

  /**
   * One headless Service for Hazelcast: no cluster IP, not-ready pods published, the Hazelcast
   * port, selecting every member; and each Deployment's CLUSTER_K8S_SERVICE_DNS names it in its
   * namespace.
   */
  static List<String> clusterDiscovery(Manifests m) {
    List<String> problems = new ArrayList<>();
    List<Service> headless =
        m.services().stream().filter(s -> "None".equals(s.getSpec().getClusterIP())).toList();
    if (headless.isEmpty()) {
      problems.add("no headless Service (clusterIP: None) for Hazelcast discovery");
    }
    for (Service s : headless) {
      if (!Boolean.TRUE.equals(s.getSpec().getPublishNotReadyAddresses())) {
        problems.add(
            id(s)
                + ": publishNotReadyAddresses is not true; pods turn ready only after joining,"
                + " so none could be found");
      }
      boolean hazelcastPort =
          nonNull(s.getSpec().getPorts()).stream()
              .anyMatch(p -> p.getPort() == RoundhouseService.HAZELCAST.defaultPort());
      if (!hazelcastPort) {
        problems.add(
            id(s) + ": no port " + RoundhouseService.HAZELCAST.defaultPort() + " (Hazelcast)");
      }
      for (Deployment d : m.deployments()) {
        if (!matches(s.getSpec().getSelector(), podLabels(d))) {
          problems.add(id(s) + ": does not select the pods of " + id(d));
        }
      }
    }
    for (Deployment d : m.deployments()) {
      for (Container c : containers(d)) {
        String where = id(d) + " container " + c.getName();
        Map<String, Env> env = m.effectiveEnv(d, c);
        Env port = env.get(RoundhouseService.HAZELCAST.setting());
        if (port != null
            && !String.valueOf(RoundhouseService.HAZELCAST.defaultPort()).equals(port.value())) {
          problems.add(
              where
                  + ": CLUSTER_PORT "
                  + port.value()
                  + " differs from the headless Service's port "
                  + RoundhouseService.HAZELCAST.defaultPort());
        }
        Env dns = env.get("CLUSTER_K8S_SERVICE_DNS");
        if (dns == null || dns.value() == null) {
          problems.add(where + ": CLUSTER_K8S_SERVICE_DNS is not set");
          continue;
        }
        String ns = d.getMetadata().getNamespace();
        boolean names =
            headless.stream()
                .filter(s -> Objects.equals(s.getMetadata().getNamespace(), ns))
                .anyMatch(
                    s ->
                        dns.value()
                            .matches(
                                Pattern.quote(s.getMetadata().getName() + "." + ns + ".svc")
                                    + "(\\.[a-z0-9-]+)*"));
        if (!names) {
          problems.add(
              where
                  + ": CLUSTER_K8S_SERVICE_DNS "
                  + dns.value()
                  + " is not <headless service>."
                  + ns
                  + ".svc[.cluster domain]");
        }
      }
    }
    return problems;
  }
}
