package io.roundhouse.runtime;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every service's {@code main} does: start, log a configuration error by setting name and exit
 * 2, and on SIGTERM or Ctrl-C drain within the service's grace period, leave the cluster and exit 0
 * (1 when the drain or the leave failed).
 */
public final class Launcher {

  /** How long open connections get to finish after SIGTERM before they are closed. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(20);

  /** Leaving the cluster after the drain: Hazelcast's goodbye and Vert.x's close. */
  private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

  private Launcher() {}

  /** A started service. */
  public interface Running {

    /** The cluster node it runs on. */
    ClusterNode node();

    /** How long {@link #stop()} lets open connections finish. */
    Duration shutdownGrace();

    /** The ports it bound, by name ({@code tcp}, {@code http}, {@code admin}, ...). */
    Map<String, Integer> ports();

    /**
     * Reports not ready, deregisters, stops accepting, lets open connections finish for up to the
     * grace period and then closes them; leaves the cluster node up.
     */
    Future<Void> stop();
  }

  public static void run(String name, Callable<Future<? extends Running>> start) {
    Running running;
    try {
      running = start.call().await();
    } catch (ConfigException e) {
      LOG.error("{}: invalid configuration: {}", name, e.getMessage());
      System.exit(2);
      return;
    } catch (ListenFailure e) {
      LOG.error("{} failed to start: {}", name, e.getMessage());
      System.exit(1);
      return;
    } catch (Exception e) {
      LOG.error("{} failed to start", name, e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(name, running), name + "-shutdown"));
    writePortFile(name, running);
  }

  /** Written last, once the service serves: a reader that finds the file can connect. */
  private static void writePortFile(String name, Running running) {
    Optional<String> file = Settings.fromEnvironment().find(PortFile.SETTING);
    if (file.isEmpty() || file.get().isBlank()) {
      return;
    }
    try {
      PortFile.write(Path.of(file.get()), running.ports());
      LOG.info("{} wrote its ports {} to {}", name, running.ports(), file.get());
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} could not write its ports to {}: {}", name, file.get(), e.toString());
    }
  }

  /**
   * Runs in the shutdown hook thread, so blocking is fine; ends the JVM with a status of its own.
   */
  private static void stop(String name, Running running) {
    Duration grace = running.shutdownGrace();
    LOG.info("{} stopping: draining for up to {} ms", name, grace.toMillis());
    boolean clean = true;
    try {
      running.stop().timeout(grace.plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS).await();
    } catch (Exception e) {
      clean = false;
      LOG.warn("{} did not drain cleanly: {}", name, e.toString());
    }
    // Closed from this thread, not chained on an event loop that the close itself terminates.
    try {
      running.node().close().timeout(LEAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).await();
      LOG.info("{} stopped", name);
    } catch (Exception e) {
      clean = false;
      LOG.warn("{} did not leave the cluster cleanly: {}", name, e.toString());
    }
    // A JVM ended by a signal exits 128 + signal; an orderly stop says so with 0.
    Runtime.getRuntime().halt(clean ? 0 : 1);
  }
}
