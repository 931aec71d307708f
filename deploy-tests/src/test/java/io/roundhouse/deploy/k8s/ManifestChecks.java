package io.roundhouse.deploy.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.roundhouse.config.Settings;
import io.roundhouse.runtime.Launcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Consistency checks of one rendered set of manifests against each other and against the code.
 * Every check returns the problems it found, as sentences naming the object; none means it passed.
 */
public final class ManifestChecks {

  public static final String NAMESPACE = "roundhouse";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String NAME = "app.kubernetes.io/name";
  public static final String COMPONENT = "app.kubernetes.io/component";

  /** What the services wait for open connections after SIGTERM unless SHUTDOWN_GRACE says. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Launcher.DEFAULT_SHUTDOWN_GRACE;

  /** Time left over after the drain for leaving the cluster and exiting. */
  public static final Duration STOP_MARGIN = Duration.ofSeconds(5);

  /** What Kubernetes uses when a pod sets no terminationGracePeriodSeconds. */
  private static final long DEFAULT_TERMINATION_GRACE_SECONDS = 30;

  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern WILDCARD = Pattern.compile("0\\.0\\.0\\.0|::|\\[::]");

  private final List<HasMetadata> objects;
  private final Map<String, Set<String>> knownSettingsByModule;
  private final Path repoRoot;

  /**
   * @param knownSettingsByModule the environment variables each service reads, by module name
   * @param repoRoot where {@code <module>/Dockerfile} may be found; null to skip those checks
   */
  public ManifestChecks(
      List<HasMetadata> objects, Map<String, Set<String>> knownSettingsByModule, Path repoRoot) {
    this.objects = List.copyOf(objects);
    this.knownSettingsByModule = Map.copyOf(knownSettingsByModule);
    this.repoRoot = repoRoot;
  }

  /** Every check; the problems of all of them. */
  public List<String> all() {
    List<Supplier<List<String>>> checks =
        List.of(
            this::apiVersions,
            this::namespaces,
            this::labels,
            this::deploymentSelectors,
            this::serviceSelectors,
            this::targetPorts,
            this::probes,
            this::envVarsKnown,
            this::podIdentity,
            this::containerPorts,
            this::portNames,
            this::images,
            this::terminationGrace,
            this::publicServices,
            this::clusterDiscovery,
            this::rollingUpdates,
            this::disruptionBudgets,
            this::autoscalers,
            this::resources,
            this::prometheusAnnotations,
            this::securityContexts,
            this::serviceLinks,
            this::dockerfiles);
    List<String> problems = new ArrayList<>();
    checks.forEach(c -> problems.addAll(c.get()));
    return problems;
  }

  // ---------------------------------------------------------------- the checks

  /** The API versions a current server serves for the kinds used here (no beta leftovers). */
  public List<String> apiVersions() {
    Map<String, String> expected =
        Map.of(
            "Namespace", "v1",
            "ConfigMap", "v1",
            "Service", "v1",
            "Deployment", "apps/v1",
            "PodDisruptionBudget", "policy/v1",
            "HorizontalPodAutoscaler", "autoscaling/v2");
    List<String> problems = new ArrayList<>();
    for (HasMetadata o : objects) {
      String want = expected.get(o.getKind());
      if (want == null) {
        problems.add(id(o) + ": a kind these checks do not know; add it to apiVersions()");
      } else if (!want.equals(o.getApiVersion())) {
        problems.add(id(o) + ": apiVersion " + o.getApiVersion() + ", expected " + want);
      }
    }
    return problems;
  }

  /** Everything in the one namespace, which is itself part of the manifests. */
  public List<String> namespaces() {
    List<String> problems = new ArrayList<>();
    boolean declared = false;
    for (HasMetadata o : objects) {
      if (o instanceof Namespace) {
        declared |= NAMESPACE.equals(o.getMetadata().getName());
        continue;
      }
      if (!NAMESPACE.equals(o.getMetadata().getNamespace())) {
        problems.add(
            id(o) + ": namespace " + o.getMetadata().getNamespace() + ", expected " + NAMESPACE);
      }
    }
    if (!declared) {
      problems.add("no Namespace " + NAMESPACE);
    }
    return problems;
  }

  /** The recommended labels: name and part-of everywhere, component on workloads and pods. */
  public List<String> labels() {
    List<String> problems = new ArrayList<>();
    for (HasMetadata o : objects) {
      Map<String, String> labels = nonNull(o.getMetadata().getLabels());
      if (!labels.containsKey(NAME)) {
        problems.add(id(o) + ": no label " + NAME);
      }
      if (!NAMESPACE.equals(labels.get(PART_OF))) {
        problems.add(id(o) + ": label " + PART_OF + " is not " + NAMESPACE);
      }
      if (o instanceof Deployment d) {
        if (!labels.containsKey(COMPONENT)) {
          problems.add(id(o) + ": no label " + COMPONENT);
        }
        Map<String, String> pod = podLabels(d);
        for (String key : List.of(NAME, PART_OF, COMPONENT)) {
          if (!pod.containsKey(key)) {
            problems.add(id(o) + ": pod template has no label " + key);
          }
        }
      }
    }
    return problems;
  }

  /** Each Deployment's selector matches its own pods, and only its own. */
  public List<String> deploymentSelectors() {
    List<String> problems = new ArrayList<>();
    for (Deployment d : deployments()) {
      LabelSelector selector = d.getSpec().getSelector();
      if (selector == null || isEmpty(selector)) {
        problems.add(id(d) + ": no selector");
        continue;
      }
      if (!matches(selector, podLabels(d))) {
        problems.add(
            id(d)
                + ": selector "
                + describe(selector)
                + " does not match its pod template's labels "
                + podLabels(d));
      }
      for (Deployment other : deployments()) {
        if (other != d && matches(selector, podLabels(other))) {
          problems.add(id(d) + ": selector also matches the pods of " + id(other));
        }
      }
      for (TopologySpreadConstraint spread : spread(d)) {
        if (!matches(spread.getLabelSelector(), podLabels(d))) {
          problems.add(id(d) + ": topology spread selector does not match its own pods");
        }
      }
    }
    return problems;
  }

  /** Each Service selects the pods of some Deployment. */
  public List<String> serviceSelectors() {
    List<String> problems = new ArrayList<>();
    for (Service s : services()) {
      Map<String, String> selector = nonNull(s.getSpec().getSelector());
      if (selector.isEmpty()) {
        problems.add(id(s) + ": no selector");
      } else if (selected(s).isEmpty()) {
        problems.add(id(s) + ": selector " + selector + " matches the pods of no Deployment");
      }
    }
    return problems;
  }

  /** Every Service port's target port (a number or a name) is a port of every pod it selects. */
  public List<String> targetPorts() {
    List<String> problems = new ArrayList<>();
    for (Service s : services()) {
      for (ServicePort port : nonNull(s.getSpec().getPorts())) {
        IntOrString target =
            port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
        for (Deployment d : selected(s)) {
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
   * Startup, liveness and readiness probes on every container, by HTTP, to a declared port that is
   * the one serving the service's health endpoints.
   */
  public List<String> probes() {
    List<String> problems = new ArrayList<>();
    for (Deployment d : deployments()) {
      for (Container c : containers(d)) {
        String where = id(d) + " container " + c.getName();
        Optional<RoundhouseService> service = RoundhouseService.ofImage(c.getImage());
        Optional<Integer> healthPort =
            service.map(sv -> effectivePort(d, c, sv.port(sv.healthPortSetting())));
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

  /** Every environment variable a manifest sets is one the service's code reads. */
  public List<String> envVarsKnown() {
    List<String> problems = new ArrayList<>();
    for (Deployment d : deployments()) {
      for (Container c : containers(d)) {
        Optional<RoundhouseService> service = RoundhouseService.ofImage(c.getImage());
        if (service.isEmpty()) {
          continue; // images() reports it
        }
        Set<String> known = knownSettingsByModule.getOrDefault(service.get().module(), Set.of());
        Map<String, Env> env = new LinkedHashMap<>();
        problems.addAll(environment(d, c, env));
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
  public List<String> podIdentity() {
    List<String> problems = new ArrayList<>();
    for (Deployment d : deployments()) {
      for (Container c : containers(d)) {
        String where = id(d) + " container " + c.getName();
        Map<String, Env> env = effectiveEnv(d, c);
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
   * The container ports are exactly the ports the service listens on: its own (the defaults in its
   * config class, or what the manifest sets), Hazelcast's, and the event bus port when fixed.
   */
  public List<String> containerPorts() {
    List<String> problems = new ArrayList<>();
    for (Deployment d : deployments()) {
      for (Container c : containers(d)) {
        Optional<RoundhouseService> service = RoundhouseService.ofImage(c.getImage());
        if (service.isEmpty()) {
          continue;
        }
        Set<Integer> expected = expectedPorts(d, c, service.get());
        Set<Integer> declared = new TreeSet<>();
        for (ContainerPort p : nonNull(c.getPorts())) {
          declared.add(p.getContainerPort());
          if (p.getProtocol() != null && !p.getProtocol().equals("TCP")) {
            problems.add(id(d) + ": port " + p.getContainerPort() + " is not TCP");
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
  public List<String> portNames() {
    List<String> problems = new ArrayList<>();
    for (Deployment d : deployments()) {
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

  /** Images are roundhouse/&lt;service&gt; with a pinned tag, in the Deployment of that name. */
  public List<String> images() {
    List<String> problems = new ArrayList<>();
    for (Deployment d : deployments()) {
      for (Container c : containers(d)) {
        String image = c.getImage();
        Optional<RoundhouseService> service = RoundhouseService.ofImage(image);
        if (service.isEmpty()) {
          problems.add(id(d) + ": image " + image + " is not roundhouse/<service>");
          continue;
        }
        if (!d.getMetadata().getName().equals(service.get().module())) {
          problems.add(id(d) + ": runs " + image + "; name it " + service.get().module());
        }
        String tag = image.substring(service.get().image().length());
        if (tag.isEmpty() || tag.equals(":latest")) {
          problems.add(id(d) + ": image " + image + " has no pinned tag");
        }
      }
    }
    return problems;
  }

  /**
   * terminationGracePeriodSeconds covers the preStop sleep, then SHUTDOWN_GRACE for the drain, then
   * {@link #STOP_MARGIN} for leaving the cluster; each pod has a preStop sleep.
   */
  public List<String> terminationGrace() {
    List<String> problems = new ArrayList<>();
    for (Deployment d : deployments()) {
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      long period =
          pod.getTerminationGracePeriodSeconds() == null
              ? DEFAULT_TERMINATION_GRACE_SECONDS
              : pod.getTerminationGracePeriodSeconds();
      for (Container c : containers(d)) {
        String where = id(d) + " container " + c.getName();
        Optional<Long> sleep = preStopSleepSeconds(c);
        if (sleep.isEmpty()) {
          problems.add(where + ": no preStop sleep (endpoints need time to drop the pod)");
        }
        Env graceEnv = effectiveEnv(d, c).get("SHUTDOWN_GRACE");
        Duration grace;
        try {
          grace =
              Settings.of(
                      graceEnv == null || graceEnv.value() == null
                          ? Map.of()
                          : Map.of("SHUTDOWN_GRACE", graceEnv.value()))
                  .duration("SHUTDOWN_GRACE", DEFAULT_SHUTDOWN_GRACE);
        } catch (RuntimeException e) {
          problems.add(where + ": " + e.getMessage());
          continue;
        }
        long needed = sleep.orElse(0L) + ceilSeconds(grace) + STOP_MARGIN.toSeconds();
        if (period < needed) {
          problems.add(
              id(d)
                  + ": terminationGracePeriodSeconds "
                  + period
                  + " < preStop sleep "
                  + sleep.orElse(0L)
                  + " s + SHUTDOWN_GRACE "
                  + ceilSeconds(grace)
                  + " s + "
                  + STOP_MARGIN.toSeconds()
                  + " s to leave the cluster");
        }
      }
    }
    return problems;
  }

  /**
   * Services reachable from outside the cluster (LoadBalancer, NodePort) select only the balancer
   * and reach only its public ports: never the admin port, never a backend.
   */
  public List<String> publicServices() {
    List<String> problems = new ArrayList<>();
    for (Service s : services()) {
      String type = s.getSpec().getType() == null ? "ClusterIP" : s.getSpec().getType();
      if (!type.equals("LoadBalancer") && !type.equals("NodePort")) {
        continue;
      }
      for (Deployment d : selected(s)) {
        for (Container c : containers(d)) {
          Optional<RoundhouseService> service = RoundhouseService.ofImage(c.getImage());
          Set<Integer> publicPorts = new TreeSet<>();
          service.ifPresent(
              sv ->
                  sv.ports().stream()
                      .filter(RoundhouseService.Listen::isPublic)
                      .forEach(l -> publicPorts.add(effectivePort(d, c, l))));
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
  public List<String> clusterDiscovery() {
    List<String> problems = new ArrayList<>();
    List<Service> headless =
        services().stream().filter(s -> "None".equals(s.getSpec().getClusterIP())).toList();
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
      for (Deployment d : deployments()) {
        if (!matches(s.getSpec().getSelector(), podLabels(d))) {
          problems.add(id(s) + ": does not select the pods of " + id(d));
        }
      }
    }
    for (Deployment d : deployments()) {
      for (Container c : containers(d)) {
        String where = id(d) + " container " + c.getName();
        Map<String, Env> env = effectiveEnv(d, c);
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

  /** Rollouts replace one pod at a time. */
  public List<String> rollingUpdates() {
    List<String> problems = new ArrayList<>();
    for (Deployment d : deployments()) {
      var strategy = d.getSpec().getStrategy();
      RollingUpdateDeployment rolling = strategy == null ? null : strategy.getRollingUpdate();
      if (strategy == null || !"RollingUpdate".equals(strategy.getType()) || rolling == null) {
        problems.add(id(d) + ": no RollingUpdate strategy with explicit limits");
        continue;
      }
      String unavailable = show(rolling.getMaxUnavailable());
      String surge = show(rolling.getMaxSurge());
      boolean oneAtATime =
          (unavailable.equals("0") && surge.equals("1"))
              || (unavailable.equals("1") && surge.equals("0"));
      if (!oneAtATime) {
        problems.add(
            id(d)
                + ": maxUnavailable "
                + unavailable
                + " / maxSurge "
                + surge
                + " is not one pod at a time");
      }
    }
    return problems;
  }

  /** Each Deployment has a PodDisruptionBudget that still lets a node drain. */
  public List<String> disruptionBudgets() {
    List<String> problems = new ArrayList<>();
    List<PodDisruptionBudget> pdbs = of(PodDisruptionBudget.class);
    for (PodDisruptionBudget pdb : pdbs) {
      if (deployments().stream()
          .noneMatch(d -> matches(pdb.getSpec().getSelector(), podLabels(d)))) {
        problems.add(id(pdb) + ": selects the pods of no Deployment");
      }
    }
    for (Deployment d : deployments()) {
      List<PodDisruptionBudget> mine =
          pdbs.stream().filter(p -> matches(p.getSpec().getSelector(), podLabels(d))).toList();
      if (mine.size() != 1) {
        problems.add(id(d) + ": " + mine.size() + " PodDisruptionBudgets, expected 1");
        continue;
      }
      var spec = mine.get(0).getSpec();
      if (spec.getMaxUnavailable() != null) {
        if (show(spec.getMaxUnavailable()).matches("0%?")) {
          problems.add(id(mine.get(0)) + ": maxUnavailable 0 blocks every node drain");
        }
      } else if (spec.getMinAvailable() != null) {
        Integer replicas = d.getSpec().getReplicas();
        IntOrString min = spec.getMinAvailable();
        if (min.getIntVal() != null && replicas != null && min.getIntVal() >= replicas) {
          problems.add(
              id(mine.get(0))
                  + ": minAvailable "
                  + min.getIntVal()
                  + " of "
                  + replicas
                  + " replicas blocks every node drain");
        }
      } else {
        problems.add(id(mine.get(0)) + ": neither maxUnavailable nor minAvailable");
      }
    }
    return problems;
  }

  /**
   * Autoscalers scale an existing Deployment on CPU within a sane range; the Deployment has CPU
   * requests (utilization is relative to them) and no replica count of its own (each apply would
   * reset the autoscaler's choice).
   */
  public List<String> autoscalers() {
    List<String> problems = new ArrayList<>();
    for (HorizontalPodAutoscaler hpa : of(HorizontalPodAutoscaler.class)) {
      var spec = hpa.getSpec();
      var ref = spec.getScaleTargetRef();
      Optional<Deployment> target =
          deployments().stream()
              .filter(
                  d ->
                      "Deployment".equals(ref.getKind())
                          && "apps/v1".equals(ref.getApiVersion())
                          && d.getMetadata().getName().equals(ref.getName()))
              .findFirst();
      if (target.isEmpty()) {
        problems.add(id(hpa) + ": scales " + ref.getKind() + "/" + ref.getName() + ", not here");
        continue;
      }
      int min = spec.getMinReplicas() == null ? 1 : spec.getMinReplicas();
      if (min < 1 || spec.getMaxReplicas() == null || spec.getMaxReplicas() < min) {
        problems.add(id(hpa) + ": range " + min + ".." + spec.getMaxReplicas() + " is empty");
      }
      boolean cpu =
          nonNull(spec.getMetrics()).stream()
              .map(MetricSpec::getResource)
              .anyMatch(r -> r != null && "cpu".equals(r.getName()));
      if (!cpu) {
        problems.add(id(hpa) + ": no CPU metric");
      }
      Deployment d = target.get();
      if (d.getSpec().getReplicas() != null) {
        problems.add(
            id(d)
                + ": sets replicas "
                + d.getSpec().getReplicas()
                + " though "
                + id(hpa)
                + " owns the count");
      }
      for (Container c : containers(d)) {
        if (request(c, "cpu").isEmpty()) {
          problems.add(id(d) + " container " + c.getName() + ": no CPU request for " + id(hpa));
        }
      }
    }
    return problems;
  }

  /** CPU and memory requests and limits on every container, each request within its limit. */
  public List<String> resources() {
    List<String> problems = new ArrayList<>();
    for (Deployment d : deployments()) {
      for (Container c : containers(d)) {
        String where = id(d) + " container " + c.getName();
        for (String resource : List.of("cpu", "memory")) {
          Optional<Quantity> request = request(c, resource);
          Optional<Quantity> limit =
              Optional.ofNullable(c.getResources())
                  .map(ResourceRequirements::getLimits)
                  .map(l -> l.get(resource));
          if (request.isEmpty() || limit.isEmpty()) {
            problems.add(where + ": no " + resource + " request and limit");
            continue;
          }
          try {
            BigDecimal r = Quantity.getAmountInBytes(request.get());
            BigDecimal l = Quantity.getAmountInBytes(limit.get());
            if (r.signum() <= 0 || r.compareTo(l) > 0) {
              problems.add(
                  where
                      + ": "
                      + resource
                      + " request "
                      + request.get()
                      + " is not within the limit "
                      + limit.get());
            }
          } catch (RuntimeException e) {
            problems.add(where + ": " + resource + " is not a quantity: " + e.getMessage());
          }
        }
      }
    }
    return problems;
  }

  /** prometheus.io annotations on each pod template, pointing at its /metrics port. */
  public List<String> prometheusAnnotations() {
    List<String> problems = new ArrayList<>();
    for (Deployment d : deployments()) {
      Map<String, String> annotations =
          nonNull(d.getSpec().getTemplate().getMetadata().getAnnotations());
      if (!"true".equals(annotations.get("prometheus.io/scrape"))) {
        problems.add(id(d) + ": pod annotation prometheus.io/scrape is not \"true\"");
      }
      if (!"/metrics".equals(annotations.get("prometheus.io/path"))) {
        problems.add(id(d) + ": pod annotation prometheus.io/path is not /metrics");
      }
      String port = annotations.get("prometheus.io/port");
      for (Container c : containers(d)) {
        RoundhouseService.ofImage(c.getImage())
            .ifPresent(
                s -> {
                  String metricsPort =
                      String.valueOf(effectivePort(d, c, s.port(s.healthPortSetting())));
                  if (!metricsPort.equals(port)) {
                    problems.add(
                        id(d)
                            + ": pod annotation prometheus.io/port is "
                            + port
                            + ", /metrics is on "
                            + metricsPort);
                  }
                });
      }
    }
    return problems;
  }

  /** Pods run as a non-root user without privilege escalation. */
  public List<String> securityContexts() {
    List<String> problems = new ArrayList<>();
    for (Deployment d : deployments()) {
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

  /**
   * No Service environment variables in the pods: Kubernetes would add {@code <SERVICE>_PORT} and
   * friends for every Service in the namespace, and a Service named {@code ws} or {@code echo}
   * would set WS_PORT or ECHO_PORT to {@code tcp://10.0.0.1:8000}, which the service refuses at
   * start.
   */
  public List<String> serviceLinks() {
    List<String> problems = new ArrayList<>();
    for (Deployment d : deployments()) {
      if (!Boolean.FALSE.equals(d.getSpec().getTemplate().getSpec().getEnableServiceLinks())) {
        problems.add(id(d) + ": enableServiceLinks is not false");
      }
    }
    return problems;
  }

  /**
   * When {@code <module>/Dockerfile} exists: its final stage EXPOSEs the ports the pod declares
   * (the event bus port aside, which only the manifests fix), and a numeric USER is the pod's
   * runAsUser.
   */
  public List<String> dockerfiles() {
    if (repoRoot == null) {
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    for (Deployment d : deployments()) {
      for (Container c : containers(d)) {
        Optional<RoundhouseService> service = RoundhouseService.ofImage(c.getImage());
        if (service.isEmpty()) {
          continue;
        }
        Path dockerfile = repoRoot.resolve(service.get().module()).resolve("Dockerfile");
        if (!Files.isRegularFile(dockerfile)) {
          continue;
        }
        Set<Integer> declared = new TreeSet<>();
        nonNull(c.getPorts()).forEach(p -> declared.add(p.getContainerPort()));
        Env eventBus = effectiveEnv(d, c).get(RoundhouseService.EVENTBUS_PORT);
        PodSecurityContext pod = d.getSpec().getTemplate().getSpec().getSecurityContext();
        Long runAsUser = pod == null ? null : pod.getRunAsUser();
        if (c.getSecurityContext() != null && c.getSecurityContext().getRunAsUser() != null) {
          runAsUser = c.getSecurityContext().getRunAsUser();
        }
        problems.addAll(
            dockerfileMismatches(
                dockerfile,
                id(d),
                declared,
                eventBus == null ? null : parseInt(eventBus.value()),
                runAsUser));
      }
    }
    return problems;
  }

  /** The Dockerfile half of {@link #dockerfiles()}, for one file. */
  public static List<String> dockerfileMismatches(
      Path dockerfile, String deployment, Set<Integer> declared, Integer eventBusPort, Long uid) {
    String text;
    try {
      text = Files.readString(dockerfile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String stripped = line.strip();
      if (current.isEmpty() && stripped.startsWith("#")) {
        continue;
      }
      if (stripped.endsWith("\\")) {
        current.append(stripped, 0, stripped.length() - 1).append(' ');
      } else {
        lines.add(current.append(stripped).toString());
        current.setLength(0);
      }
    }
    Set<Integer> exposed = new TreeSet<>();
    String user = null;
    List<String> problems = new ArrayList<>();
    for (String line : lines) {
      String[] words = line.split("\\s+", 2);
      String instruction = words[0].toUpperCase();
      String args = words.length > 1 ? words[1] : "";
      switch (instruction) {
        case "FROM" -> { // a new stage: only the last one is the image
          exposed.clear();
          user = null;
        }
        case "EXPOSE" -> {
          for (String token : args.split("\\s+")) {
            Matcher m = Pattern.compile("(\\d+)(/tcp)?", Pattern.CASE_INSENSITIVE).matcher(token);
            if (m.matches()) {
              exposed.add(Integer.parseInt(m.group(1)));
            } else if (!token.isEmpty()) {
              problems.add(dockerfile + ": cannot check EXPOSE " + token);
            }
          }
        }
        case "USER" -> user = args.strip();
        default -> {}
      }
    }
    String where = deployment + " vs " + dockerfile;
    for (int port : exposed) {
      if (!declared.contains(port)) {
        problems.add(where + ": EXPOSE " + port + " is not a container port");
      }
    }
    for (int port : declared) {
      if (!exposed.contains(port) && !Objects.equals(port, eventBusPort)) {
        problems.add(where + ": container port " + port + " is not EXPOSEd");
      }
    }
    if (user != null && uid != null) {
      String name = user.split(":", 2)[0];
      if (name.matches("\\d+") && Long.parseLong(name) != uid) {
        problems.add(where + ": USER " + user + " but runAsUser " + uid);
      }
    }
    return problems;
  }

  // ---------------------------------------------------------------- model helpers

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

  private List<String> environment(Deployment d, Container c, Map<String, Env> env) {
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

  private int effectivePort(Deployment d, Container c, RoundhouseService.Listen listen) {
    Env set = effectiveEnv(d, c).get(listen.setting());
    Integer value = set == null ? null : parseInt(set.value());
    return value == null ? listen.defaultPort() : value;
  }

  private Set<Integer> expectedPorts(Deployment d, Container c, RoundhouseService service) {
    Set<Integer> expected = new TreeSet<>();
    service.ports().forEach(l -> expected.add(effectivePort(d, c, l)));
    expected.add(effectivePort(d, c, RoundhouseService.HAZELCAST));
    Env eventBus = effectiveEnv(d, c).get(RoundhouseService.EVENTBUS_PORT);
    Integer port = eventBus == null ? null : parseInt(eventBus.value());
    if (port != null && port != 0) {
      expected.add(port);
    }
    return expected;
  }

  private static void expectField(
      Map<String, Env> env, String name, String fieldPath, String where, List<String> problems) {
    Env e = env.get(name);
    if (e == null || !fieldPath.equals(e.fieldPath())) {
      problems.add(where + ": " + name + " is not taken from the downward API " + fieldPath);
    }
  }

  /** The preStop delay: an exec of sleep (directly or through a shell) or the sleep action. */
  static Optional<Long> preStopSleepSeconds(Container c) {
    LifecycleHandler preStop = c.getLifecycle() == null ? null : c.getLifecycle().getPreStop();
    if (preStop == null) {
      return Optional.empty();
    }
    if (preStop.getSleep() != null && preStop.getSleep().getSeconds() != null) {
      return Optional.of(preStop.getSleep().getSeconds());
    }
    if (preStop.getExec() != null) {
      String command = String.join(" ", nonNull(preStop.getExec().getCommand()));
      Matcher m = Pattern.compile("(?:^|[\\s;&/])sleep\\s+(\\d+)").matcher(command);
      if (m.find()) {
        return Optional.of(Long.parseLong(m.group(1)));
      }
    }
    return Optional.empty();
  }

  private static Optional<Quantity> request(Container c, String resource) {
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

  private static boolean isEmpty(LabelSelector s) {
    return nonNull(s.getMatchLabels()).isEmpty() && nonNull(s.getMatchExpressions()).isEmpty();
  }

  private static String describe(LabelSelector s) {
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

  private static String show(IntOrString v) {
    return v == null ? "null" : v.getIntVal() != null ? v.getIntVal().toString() : v.getStrVal();
  }

  private static Integer parseInt(String s) {
    try {
      return s == null ? null : Integer.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long ceilSeconds(Duration d) {
    return d.plusNanos(999_999_999L).getSeconds();
  }

  private static <K, V> Map<K, V> nonNull(Map<K, V> m) {
    return m == null ? new HashMap<>() : m;
  }

  private static <T> List<T> nonNull(List<T> l) {
    return l == null ? List.of() : l;
  }
}
