package io.roundhouse.lb.backend;

import io.roundhouse.lb.balance.BalancingStrategy;
import io.roundhouse.lb.health.Outcomes;
import io.roundhouse.lb.health.OutlierDetector;
import io.roundhouse.lb.limit.LimitExceededException;
import io.roundhouse.lb.limit.Rejection;
import io.roundhouse.lb.limit.WaitQueues;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses a backend in rotation with the strategy and dials it; when dialling fails, reports the
 * failure to outlier detection and tries the next one, up to a bound, so a dead backend costs no
 * client its connection. Backends out of rotation (down by the active checks, or ejected) are
 * skipped while any other is left; when none is in rotation, every live one is tried.
 *
 * <p>With a per-backend cap, a backend at its cap is not chosen; when every backend is, the dial
 * waits in the service's queue for a slot, up to the queue timeout.
 */
public final class BackendConnector {

  private static final Logger LOG = LoggerFactory.getLogger(BackendConnector.class);

  private final BackendDirectory directory;
  private final Map<String, BalancingStrategy> strategies = new ConcurrentHashMap<>();
  private final int maxAttempts;
  private final WaitQueues queues;
  // Changed at run time by retune, read by every event loop: whatever a dial reads holds for it.
  private volatile Supplier<BalancingStrategy> strategyFactory;
  private volatile int backendMaxConnections;
  private volatile Duration queueTimeout;
  private final Outcomes outcomes;

  /** No cap per backend, and no queue. */
  public BackendConnector(
      BackendDirectory directory, Supplier<BalancingStrategy> strategyFactory, int maxAttempts) {
    this(directory, strategyFactory, maxAttempts, 0, null, Duration.ZERO);
  }

  /**
   * @param strategyFactory makes one strategy per service, so that traffic to one service never
   *     skews the turns of another
   * @param backendMaxConnections slots per backend; 0 = no cap (and {@code queues} unused)
   */
  public BackendConnector(
      BackendDirectory directory,
      Supplier<BalancingStrategy> strategyFactory,
      int maxAttempts,
      int backendMaxConnections,
      WaitQueues queues,
      Duration queueTimeout) {
    this.directory = directory;
    this.strategyFactory = strategyFactory;
    this.maxAttempts = maxAttempts;
    this.backendMaxConnections = backendMaxConnections;
    this.queues = queues;
    this.queueTimeout = queueTimeout;
    this.outcomes = new OutlierDetector(directory.healthConfig(), directory::live);
  }

  /**
   * New settings for the dials from now on; connections already made keep their backend. A new
   * strategy starts afresh for every service.
   */
  public void retune(
      Supplier<BalancingStrategy> strategyFactory,
      int backendMaxConnections,
      Duration queueTimeout) {
    if (strategyFactory != this.strategyFactory) {
      this.strategyFactory = strategyFactory;
      strategies.clear();
    }
    this.backendMaxConnections = queues == null ? 0 : backendMaxConnections;
    this.queueTimeout = queueTimeout;
  }

  public <T> Future<Lease<T>> connect(String service, Function<Backend, Future<T>> dial) {
    return attempt(new Dial<>(service, dial), maxAttempts, null);
  }

  /** One client's dial: what it tried, and when its wait in the queue must end. */
  private static final class Dial<T> {
    final String service;
    final Function<Backend, Future<T>> dial;
    final Set<String> tried = new HashSet<>();
    long queueDeadline;

    Dial(String service, Function<Backend, Future<T>> dial) {
      this.service = service;
      this.dial = dial;
    }
  }

  private <T> Future<Lease<T>> attempt(Dial<T> d, int attemptsLeft, Throwable lastError) {
    List<Backend> untried =
        directory.live(d.service).stream().filter(b -> !d.tried.contains(b.id())).toList();
    if (untried.isEmpty() || attemptsLeft == 0) {
      String why =
          d.tried.isEmpty()
              ? "no live " + d.service + " backend"
              : "no " + d.service + " backend reachable after " + d.tried.size() + " attempt(s)";
      return Future.failedFuture(new NoBackendException(why, lastError));
    }
    int cap = backendMaxConnections;
    List<Backend> free =
        cap == 0 ? untried : untried.stream().filter(b -> b.activeConnections() < cap).toList();
    if (free.isEmpty()) {
      return queue(d, attemptsLeft, lastError);
    }
    List<Backend> healthy = free.stream().filter(Backend::healthy).toList();
    BalancingStrategy strategy = strategies.computeIfAbsent(d.service, s -> strategyFactory.get());
    Backend chosen = strategy.choose(healthy.isEmpty() ? free : healthy);
    if (!chosen.tryOpen(cap)) {
      // Another event loop took its last slot since we looked: look again.
      return attempt(d, attemptsLeft, lastError);
    }
    d.tried.add(chosen.id());
    return d.dial
        .apply(chosen)
        .map(value -> new Lease<>(chosen, value, outcomes, () -> release(chosen)))
        .recover(
            err -> {
              release(chosen);
              LOG.warn(
                  "Dial to backend {} failed: {}; trying another", chosen.id(), err.toString());
              chosen.dialFailed();
              outcomes.failed(chosen, err);
              return attempt(d, attemptsLeft - 1, err);
            });
  }

  /** Every untried backend is at its cap: wait for a slot, within the queue timeout overall. */
  private <T> Future<Lease<T>> queue(Dial<T> d, int attemptsLeft, Throwable lastError) {
    long now = System.nanoTime();
    if (d.queueDeadline == 0) {
      d.queueDeadline = now + queueTimeout.toNanos();
    }
    long left = d.queueDeadline - now;
    if (left <= 0) {
      return Future.failedFuture(
          new LimitExceededException(
              Rejection.QUEUE_TIMEOUT, "no " + d.service + " backend free in time"));
    }
    return queues
        .await(d.service, Duration.ofNanos(left))
        .compose(v -> attempt(d, attemptsLeft, lastError));
  }

  private void release(Backend backend) {
    backend.closed();
    if (queues != null) {
      queues.freed(backend.service());
    }
  }
}
