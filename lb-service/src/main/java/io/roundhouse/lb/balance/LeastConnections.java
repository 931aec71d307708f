package io.roundhouse.lb.balance;

import java.util.Comparator;
import java.util.List;

/** The backend with the fewest connections open through this balancer; ties go to the first. */
public final class LeastConnections implements BalancingStrategy {

  @Override
  public <T extends Candidate> T choose(List<T> candidates) {
    return candidates.stream()
        .min(Comparator.comparingLong(Candidate::activeConnections))
        .orElseThrow();
  }
}
