package io.roundhouse.deploy.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Static helpers over the fabric8 model: names, pod templates, label selectors, ports. */
final class Model {

  private Model() {}

  static Optional<Quantity> request(Container c, String resource) {
    return Optional.ofNullable(c.getResources())
        .map(ResourceRequirements::getRequests)
        .map(r -> r.get(resource));
  }

  /** The container port a probe or Service port refers to, by number or by name. */
  static Optional<ContainerPort> resolve(Container c, IntOrString port) {
    if (port == null) {
      return Optional.empty();
    }
    return nonNull(c.getPorts()).stream()
        .filter(
            p ->
                port.getIntVal() != null
                    ? port.getIntVal().equals(p.getContainerPort())
                    : Objects.equals(port.getStrVal(), p.getName()))
        .findFirst();
  }

  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    return selector != null
        && !selector.isEmpty()
        && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null || isEmpty(selector)) {
      return false;
    }
    if (!nonNull(selector.getMatchLabels()).isEmpty()
        && !matches(selector.getMatchLabels(), labels)) {
      return false;
    }
    for (LabelSelectorRequirement r : nonNull(selector.getMatchExpressions())) {
      String value = labels.get(r.getKey());
      List<String> values = nonNull(r.getValues());
      boolean ok =
          switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static boolean isEmpty(LabelSelector s) {
    return nonNull(s.getMatchLabels()).isEmpty() && nonNull(s.getMatchExpressions()).isEmpty();
  }

  static String describe(LabelSelector s) {
    return nonNull(s.getMatchLabels()) + " " + nonNull(s.getMatchExpressions());
  }

  static Map<String, String> podLabels(Deployment d) {
    return d.getSpec().getTemplate() == null || d.getSpec().getTemplate().getMetadata() == null
        ? Map.of()
        : nonNull(d.getSpec().getTemplate().getMetadata().getLabels());
  }

  static List<Container> containers(Deployment d) {
    return nonNull(d.getSpec().getTemplate().getSpec().getContainers());
  }

  static List<TopologySpreadConstraint> spread(Deployment d) {
    return nonNull(d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints());
  }

  static String id(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getName();
  }

  static String show(IntOrString v) {
    return v == null ? "null" : v.getIntVal() != null ? v.getIntVal().toString() : v.getStrVal();
  }

  static Integer parseInt(String s) {
    try {
      return s == null ? null : Integer.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static <K, V> Map<K, V> nonNull(Map<K, V> m) {
    return m == null ? new HashMap<>() : m;
  }

  static <T> List<T> nonNull(List<T> l) {
    return l == null ? List.of() : l;
  }
}
