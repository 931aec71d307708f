package io.roundhouse.deploy.k8s;

import static io.roundhouse.deploy.k8s.Model.containers;
import static io.roundhouse.deploy.k8s.Model.id;
import static io.roundhouse.deploy.k8s.Model.nonNull;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.roundhouse.config.Settings;
import io.roundhouse.deploy.k8s.Manifests.Env;
import io.roundhouse.runtime.Launcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pods stop without dropping connections: preStop sleep, drain, then exit, within the grace.
 */
final class ShutdownChecks {

  /** What the services wait for open connections after SIGTERM unless SHUTDOWN_GRACE says. */
  static final Duration DEFAULT_SHUTDOWN_GRACE = Launcher.DEFAULT_SHUTDOWN_GRACE;

  /** Time left over after the drain for leaving the cluster and exiting. */
  static final Duration STOP_MARGIN = Duration.ofSeconds(5);

  /** What Kubernetes uses when a pod sets no terminationGracePeriodSeconds. */
  private static final long DEFAULT_TERMINATION_GRACE_SECONDS = 30;

  private ShutdownChecks() {}

  /**
   * terminationGracePeriodSeconds covers the preStop sleep, then SHUTDOWN_GRACE for the drain, then
   * {@link #STOP_MARGIN} for leaving the cluster; each pod has a preStop sleep.
   */
  static List<String> terminationGrace(Manifests m) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : m.deployments()) {
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
        Env graceEnv = m.effectiveEnv(d, c).get("SHUTDOWN_GRACE");
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

  private static long ceilSeconds(Duration d) {
    return d.plusNanos(999_999_999L).getSeconds();
  }
}
