package io.roundhouse.runtime;

import io.roundhouse.cluster.ClusterNode;
import io.roundhouse.config.ConfigException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every service's {@code main} does: start, log a configuration error by setting name and exit
 * 2, and on SIGTERM or Ctrl-C run the service's orderly stop within a grace period.
 */
public final class Launcher {

  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

  private Launcher() {}

  /** A started service. */
  public interface Running {

    /** The cluster node it runs on. */
    ClusterNode node();

    /** Deregisters and closes listeners, leaving the cluster node up. */
    Future<Void> stop();
  }

  public static void run(String name, Duration grace, Callable<Future<? extends Running>> start) {
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
    Runtime.getRuntime()
        .addShutdownHook(new Thread(stopper(name, grace, running), name + "-shutdown"));
  }

  private static Runnable stopper(String name, Duration grace, Running running) {
    return () -> {
      LOG.info("{} stopping (grace {} ms)", name, grace.toMillis());
      try {
        running.stop().timeout(grace.toMillis(), TimeUnit.MILLISECONDS).await();
      } catch (Exception e) {
        LOG.warn("{} did not drain cleanly: {}", name, e.toString());
      }
      // Closed from this thread, not chained on an event loop that the close itself terminates.
      try {
        running.node().close().timeout(grace.toMillis(), TimeUnit.MILLISECONDS).await();
        LOG.info("{} stopped", name);
      } catch (Exception e) {
        LOG.warn("{} did not leave the cluster cleanly: {}", name, e.toString());
      }
    };
  }
}
