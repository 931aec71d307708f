package io.roundhouse.lb.balance;

import java.util.List;

/**
 * The backend with the fewest connections across the cluster ({@link
 * Candidate#clusterConnections()}: every balancer's, not only this one's), relative to its weight:
 * the least {@code (connections + 1) / weight} (as HAProxy's leastconn), so a warming backend with
 * no connection does not take every new one. With equal weights, the fewest connections; ties go to
 * the first.
 */
public final class LeastConnections implements BalancingStrategy {

  @Override
  public <T extends Candidate> T choose(List<T> candidates) {
    T best = null;
    double bestLoad = Double.POSITIVE_INFINITY;
    for (T candidate : candidates) {
      double load = load(candidate);
      if (best == null || load < bestLoad) {
        best = candidate;
        bestLoad = load;
      }
    }
    return best;
  }

  /** {@code (connections + 1) / weight}; infinite at weight 0. */
  static double load(Candidate candidate) {
    double weight = candidate.weight();
    return weight > 0 ? (candidate.clusterConnections() + 1) / weight : Double.POSITIVE_INFINITY;
  }
}
