package io.roundhouse.deploy.k8s;

import static io.roundhouse.deploy.k8s.Model.containers;
import static io.roundhouse.deploy.k8s.Model.id;
import static io.roundhouse.deploy.k8s.Model.nonNull;
import static io.roundhouse.deploy.k8s.Model.parseInt;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.roundhouse.deploy.k8s.Manifests.Env;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The container ports: exactly what the service listens on, under valid names. */
final class PortChecks {

  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

  private PortChecks() {}

  /**
   * The container ports are exactly the ports the service listens on: its own (the defaults in its
   * config class, or what the manifest sets), Hazelcast's, and the event bus port when fixed.
   */
  static List<String> containerPorts(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : m.deployments()) {
      for (Container c : containers(d)) {
        Optional<RoundhouseService> service = RoundhouseService.ofImage(c.getImage());
        if (service.isEmpty()) {
          continue;
        }
        Set<Integer> expected = expectedPorts(m, d, c, service.get());
        Set<Integer> declared = new TreeSet<>();
        Set<Integer> tcp = new TreeSet<>();
        for (ContainerPort p : nonNull(c.getPorts())) {
          declared.add(p.getContainerPort());
          if (p.getProtocol() == null || p.getProtocol().equals("TCP")) {
            tcp.add(p.getContainerPort());
          }
        }
        // UDP (echo-service's echo, the balancer's flows) only on the number of a TCP port.
        for (ContainerPort p : nonNull(c.getPorts())) {
          String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
          if (protocol.equals("UDP") && !tcp.contains(p.getContainerPort())) {
            problems.add(
                id(d) + ": UDP port " + p.getContainerPort() + " has no TCP port beside it");
          } else if (!protocol.equals("TCP") && !protocol.equals("UDP")) {
            problems.add(id(d) + ": port " + p.getContainerPort() + " is neither TCP nor UDP");
          }
        }
        if (!declared.equals(expected)) {
          problems.add(
              id(d)
                  + " container "
                  + c.getName()
                  + ": declares ports "
                  + declared
                  + " but "
                  + service.get().module()
                  + " listens on "
                  + expected);
        }
      }
    }
    return problems;
  }

  /** Port names are IANA service names (what a probe or targetPort can refer to). */
  static List<String> portNames(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : m.deployments()) {
      for (Container c : containers(d)) {
        Set<String> seen = new LinkedHashSet<>();
        for (ContainerPort p : nonNull(c.getPorts())) {
          String name = p.getName();
          if (name == null) {
            problems.add(id(d) + ": port " + p.getContainerPort() + " has no name");
          } else if (name.length() > 15
              || !PORT_NAME.matcher(name).matches()
              || name.contains("--")
              || !name.matches(".*[a-z].*")) {
            problems.add(id(d) + ": port name " + name + " is not a valid IANA service name");
          } else if (!seen.add(name)) {
            problems.add(id(d) + ": port name " + name + " used twice");
          }
        }
      }
    }
    return problems;
  }

  private static Set<Integer> expectedPorts(
      Manifests m, Deployment d, Container c, RoundhouseService service) {
    Set<Integer> expected = new TreeSet<>();
    service.ports().forEach(l -> expected.add(m.effectivePort(d, c, l)));
    expected.add(m.effectivePort(d, c, RoundhouseService.HAZELCAST));
    Env eventBus = m.effectiveEnv(d, c).get(RoundhouseService.EVENTBUS_PORT);
    Integer port = eventBus == null ? null : parseInt(eventBus.value());
    if (port != null && port != 0) {
      expected.add(port);
    }
    return expected;
  }
}
