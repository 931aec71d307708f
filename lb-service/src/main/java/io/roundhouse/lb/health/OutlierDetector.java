package io.roundhouse.lb.health;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive health: {@code LB_OUTLIER_CONSECUTIVE} failures of real traffic in a row eject a backend
 * for a back-off period, but never the last backend of its service still in rotation. A full
 * connection pool is the balancer's own congestion, not the backend's failure, and does not count.
 */
public final class OutlierDetector implements Outcomes {

  private static final Logger LOG = LoggerFactory.getLogger(OutlierDetector.class);

  private final HealthConfig config;
  private final Function<String, List<? extends Monitored>> peers;
  private final LongSupplier clock;

  /**
   * @param peers the live backends of a service, the failing one among them
   */
  public OutlierDetector(HealthConfig config, Function<String, List<? extends Monitored>> peers) {
    this(config, peers, System::nanoTime);
  }

  OutlierDetector(
      HealthConfig config, Function<String, List<? extends Monitored>> peers, LongSupplier clock) {
    this.config = config;
    this.peers = peers;
    this.clock = clock;
  }

  @Override
  public void succeeded(Monitored backend) {
    backend.health().trafficSucceeded();
  }

  @Override
  public void failed(Monitored backend, Throwable error) {
    if (config.outlierConsecutive() == 0 || error instanceof ConnectionPoolTooBusyException) {
      return;
    }
    String why = Reasons.of(error);
    OutlierState ejection;
    // Serialised, so that two backends failing at once cannot both leave, each counting on the
    // other; successes go on without the lock.
    synchronized (this) {
      long now = clock.getAsLong();
      ejection = backend.health().trafficFailed(why, now, () -> anotherInRotation(backend, now));
    }
    if (ejection != null) {
      LOG.warn(
          "Backend {} ejected for {} ms after {} failures in a row (last: {})",
          backend.id(),
          TimeUnit.NANOSECONDS.toMillis(ejection.ejectionNanos()),
          config.outlierConsecutive(),
          why);
    }
  }

  private boolean anotherInRotation(Monitored backend, long now) {
    for (Monitored peer : peers.apply(backend.service())) {
      if (peer != backend && peer.health().inRotation(now)) {
        return true;
      }
    }
    return false;
  }
}
