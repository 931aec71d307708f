package io.roundhouse.lb.backend;

import io.roundhouse.lb.balance.BalancingStrategy;
import io.vertx.core.Future;
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
 * Chooses a backend with the strategy and dials it; when dialling fails, marks the backend failed
 * and tries the next one, up to a bound, so a dead backend costs no client its connection. Failed
 * backends are skipped while any other is left, until the registry or a success clears them.
 */
public final class BackendConnector {

  private static final Logger LOG = LoggerFactory.getLogger(BackendConnector.class);

  private final BackendDirectory directory;
  private final Supplier<BalancingStrategy> strategyFactory;
  private final Map<String, BalancingStrategy> strategies = new ConcurrentHashMap<>();
  private final int maxAttempts;

  /**
   * @param strategyFactory makes one strategy per service, so that traffic to one service never
   *     skews the turns of another
   */
  public BackendConnector(
      BackendDirectory directory, Supplier<BalancingStrategy> strategyFactory, int maxAttempts) {
    this.directory = directory;
    this.strategyFactory = strategyFactory;
    this.maxAttempts = maxAttempts;
  }

  public <T> Future<Lease<T>> connect(String service, Function<Backend, Future<T>> dial) {
    return attempt(service, dial, new HashSet<>(), maxAttempts, null);
  }

  private <T> Future<Lease<T>> attempt(
      String service,
      Function<Backend, Future<T>> dial,
      Set<String> tried,
      int attemptsLeft,
      Throwable lastError) {
    List<Backend> untried =
        directory.live(service).stream().filter(b -> !tried.contains(b.id())).toList();
    if (untried.isEmpty() || attemptsLeft == 0) {
      String why =
          tried.isEmpty()
              ? "no live " + service + " backend"
              : "no " + service + " backend reachable after " + tried.size() + " attempt(s)";
      return Future.failedFuture(new NoBackendException(why, lastError));
    }
    List<Backend> healthy = untried.stream().filter(Backend::healthy).toList();
    BalancingStrategy strategy = strategies.computeIfAbsent(service, s -> strategyFactory.get());
    Backend chosen = strategy.choose(healthy.isEmpty() ? untried : healthy);
    tried.add(chosen.id());
    return dial.apply(chosen)
        .map(
            value -> {
              chosen.markDialled();
              return new Lease<>(chosen, value);
            })
        .recover(
            err -> {
              LOG.warn(
                  "Dial to backend {} failed: {}; trying another", chosen.id(), err.toString());
              chosen.markDialFailed();
              return attempt(service, dial, tried, attemptsLeft - 1, err);
            });
  }
}
