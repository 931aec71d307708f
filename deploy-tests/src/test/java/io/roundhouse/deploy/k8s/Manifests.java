package io.roundhouse.deploy.k8s;

import static io.roundhouse.deploy.k8s.Model.id;
import static io.roundhouse.deploy.k8s.Model.matches;
import static io.roundhouse.deploy.k8s.Model.nonNull;
import static io.roundhouse.deploy.k8s.Model.parseInt;
import static io.roundhouse.deploy.k8s.Model.podLabels;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One rendered set of manifests, and what the checks look up in it. */
public final class Manifests {

  /** The namespace everything is in. */
  public static final String NAMESPACE = "roundhouse";

  /** The recommended labels. */
  public static final String PART_OF = "app.kubernetes.io/part-of";

  public static final String NAME = "app.kubernetes.io/name";
  public static final String COMPONENT = "app.kubernetes.io/component";

  private final List<HasMetadata> objects;

  public Manifests(List<HasMetadata> objects) {
    this.objects = List.copyOf(objects);
  }

  public List<HasMetadata> objects() {
    return objects;
  }

  public List<Deployment> deployments() {
    return of(Deployment.class);
  }

  public List<Service> services() {
    return of(Service.class);
  }

  public <T extends HasMetadata> List<T> of(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  public Optional<Deployment> deployment(String name) {
    return deployments().stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst();
  }

  /** The Deployments whose pods {@code s} selects. */
  public List<Deployment> selected(Service s) {
    Map<String, String> selector = nonNull(s.getSpec().getSelector());
    if (selector.isEmpty()) {
      return List.of();
    }
    return deployments().stream().filter(d -> matches(selector, podLabels(d))).toList();
  }

  /** A variable in a container's environment and where its value comes from. */
  public record Env(String name, String value, String fieldPath, String origin) {}

  /** The container's environment: envFrom ConfigMaps first, then env entries over them. */
  public Map<String, Env> effectiveEnv(Deployment d, Container c) {
    Map<String, Env> env = new LinkedHashMap<>();
    environment(d, c, env);
    return env;
  }

  List<String> environment(Deployment d, Container c, Map<String, Env> env) {
    List<String> problems = new ArrayList<>();
    for (EnvFromSource from : nonNull(c.getEnvFrom())) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      if (from.getConfigMapRef() == null) {
        problems.add(id(d) + ": envFrom other than a ConfigMap cannot be checked");
        continue;
      }
      String name = from.getConfigMapRef().getName();
      Optional<ConfigMap> map =
          of(ConfigMap.class).stream()
              .filter(
                  m ->
                      m.getMetadata().getName().equals(name)
                          && Objects.equals(
                              m.getMetadata().getNamespace(), d.getMetadata().getNamespace()))
              .findFirst();
      if (map.isEmpty()) {
        problems.add(id(d) + ": envFrom names ConfigMap " + name + ", which is not here");
        continue;
      }
      nonNull(map.get().getData())
          .forEach(
              (k, v) -> env.put(prefix + k, new Env(prefix + k, v, null, "ConfigMap " + name)));
    }
    for (EnvVar e : nonNull(c.getEnv())) {
      String fieldPath =
          e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null
              ? e.getValueFrom().getFieldRef().getFieldPath()
              : null;
      if (e.getValueFrom() != null && fieldPath == null) {
        problems.add(id(d) + ": " + e.getName() + " comes from a source these checks ignore");
      }
      env.put(e.getName(), new Env(e.getName(), e.getValue(), fieldPath, "env"));
    }
    return problems;
  }

  int effectivePort(Deployment d, Container c, RoundhouseService.Listen listen) {
    Env set = effectiveEnv(d, c).get(listen.setting());
    Integer value = set == null ? null : parseInt(set.value());
    return value == null ? listen.defaultPort() : value;
  }
}
