package io.roundhouse.lb.balance;

import io.roundhouse.lb.backend.Backend;
import java.util.Comparator;
import java.util.List;

/** The backend with the fewest connections open through this balancer; ties go to the first. */
public final class LeastConnections implements BalancingStrategy {

  @Override
  public Backend choose(List<Backend> candidates) {
    return candidates.stream()
        .min(Comparator.comparingLong(Backend::activeConnections))
        .orElseThrow();
  }
}
