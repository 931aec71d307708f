package io.roundhouse.lb.shed;

import java.util.Map;
import java.util.Optional;

/**
 * Whether a service's connections are spread within tolerance and, if not, which backend to move
 * connections off and how many. The spread strays when the most loaded backend holds more than
 * {@code mean × (1 + tolerance)}, or the least loaded fewer than {@code mean × (1 - tolerance)} (a
 * backend that just joined); connections then move off the most loaded, down to the mean.
 */
final class RebalancePlan {

  /** Off {@code from}, {@code count} connections (cluster-wide). */
  record Move(String from, long count) {}

  private RebalancePlan() {}

  /**
   * @param counts each backend in rotation's connections cluster-wide
   */
  static Optional<Move> plan(Map<String, Long> counts, double tolerance) {
    if (counts.size() < 2) {
      return Optional.empty();
    }
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    double mean = (double) total / counts.size();
    Map.Entry<String, Long> most = null;
    long least = Long.MAX_VALUE;
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      if (most == null || e.getValue() > most.getValue()) {
        most = e;
      }
      least = Math.min(least, e.getValue());
    }
    boolean tooHigh = most.getValue() > Math.ceil(mean * (1 + tolerance));
    boolean tooLow = least < Math.floor(mean * (1 - tolerance));
    long excess = most.getValue() - (long) Math.ceil(mean);
    if ((!tooHigh && !tooLow) || excess < 1) {
      return Optional.empty();
    }
    return Optional.of(new Move(most.getKey(), excess));
  }

  /** How far the spread strays: (max - min) / mean, 0 for an empty or single-backend service. */
  static double spread(Map<String, Long> counts) {
    if (counts.size() < 2) {
      return 0;
    }
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    if (total == 0) {
      return 0;
    }
    long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
    long min = counts.values().stream().mapToLong(Long::longValue).min().orElse(0);
    return (max - min) / ((double) total / counts.size());
  }
}
