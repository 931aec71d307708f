package io.roundhouse.lb.health;

import io.roundhouse.registry.ServiceInstance;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.NetClientOptions;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active checks of one balancer: every live backend checked every {@code LB_HEALTH_INTERVAL}
 * (ws backends over HTTP, every other over TCP), one check in flight per backend, each bounded by
 * {@code LB_HEALTH_TIMEOUT}. Runs on its own event loop with timers only; undeploying it stops
 * every check. New backends are picked up within {@link #SCAN_MS}; a backend that left is dropped
 * after its check in flight.
 */
public final class HealthCheckVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HealthCheckVerticle.class);

  /** How often the live backends are looked over for new ones. */
  static final long SCAN_MS = 200;

  /** A backend whose check is in flight has no timer pending. */
  private static final long IN_FLIGHT = -1;

  private final HealthConfig config;
  private final Supplier<? extends Collection<? extends Monitored>> backends;

  /** The backends being checked: a pending timer, or {@link #IN_FLIGHT}. On our loop only. */
  private final Map<Monitored, Long> watched = new IdentityHashMap<>();

  private Probe tcp;
  private Probe http;
  private long scanTimer = -1;
  private boolean stopped;

  /**
   * @param backends the live backends, read on every scan
   */
  public HealthCheckVerticle(
      HealthConfig config, Supplier<? extends Collection<? extends Monitored>> backends) {
    this.config = config;
    this.backends = backends;
  }

  @Override
  public Future<?> start() {
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis());
    tcp =
        new TcpProbe(
            vertx.createNetClient(
                new NetClientOptions()
                    .setConnectTimeout(timeoutMs)
                    .setIdleTimeout(timeoutMs)
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)),
            config.tcpCheck() == HealthConfig.TcpCheck.ECHO);
    http =
        new HttpProbe(
            vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(false).setConnectTimeout(timeoutMs),
                new PoolOptions()),
            config.httpPath(),
            timeoutMs);
    scan();
    scanTimer = vertx.setPeriodic(Math.min(SCAN_MS, config.interval().toMillis()), id -> scan());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(scanTimer);
    watched.values().stream().filter(id -> id != IN_FLIGHT).forEach(vertx::cancelTimer);
    watched.clear();
    return Future.succeededFuture();
  }

  private void scan() {
    for (Monitored backend : List.copyOf(backends.get())) {
      if (!watched.containsKey(backend)) {
        check(backend);
      }
    }
  }

  private void check(Monitored backend) {
    if (stopped) {
      return;
    }
    if (!isLive(backend)) {
      watched.remove(backend);
      return;
    }
    watched.put(backend, IN_FLIGHT);
    long started = System.nanoTime();
    probeFor(backend)
        .check(backend)
        .timeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(
            result -> {
              long now = System.nanoTime();
              record(backend, result, now, now - started);
              scheduleNext(backend, now - started);
            });
  }

  /**
   * The next check starts an interval after this one started, or at once if this one took longer.
   */
  private void scheduleNext(Monitored backend, long tookNanos) {
    if (stopped) {
      return;
    }
    long waitMs = TimeUnit.NANOSECONDS.toMillis(config.interval().toNanos() - tookNanos);
    if (waitMs < 1) {
      check(backend);
    } else {
      watched.put(backend, vertx.setTimer(waitMs, id -> check(backend)));
    }
  }

  private boolean isLive(Monitored backend) {
    for (Monitored live : backends.get()) {
      if (live == backend) {
        return true;
      }
    }
    return false;
  }

  private Probe probeFor(Monitored backend) {
    return ServiceInstance.WS.equals(backend.service()) ? http : tcp;
  }

  private void record(Monitored backend, AsyncResult<Void> result, long now, long latency) {
    BackendHealth health = backend.health();
    HealthState before = health.state();
    HealthState after;
    if (result.succeeded()) {
      after = health.checkPassed(now, latency);
    } else {
      String why = Reasons.of(result.cause());
      if (Reasons.isTimeout(result.cause()) || why.equals("timed out")) {
        why = "timed out after " + config.timeout().toMillis() + " ms";
      }
      after = health.checkFailed(now, why, latency);
    }
    if (after.status() != before.status()) {
      if (after.status() == HealthState.Status.DOWN) {
        LOG.warn("Backend {} is down: {}", backend.id(), after.reason());
      } else {
        LOG.info("Backend {} is {}: {}", backend.id(), after.status().label(), after.reason());
      }
    }
  }
}
