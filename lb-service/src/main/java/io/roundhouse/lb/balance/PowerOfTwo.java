package io.roundhouse.lb.balance;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;

/**
 * The power of two random choices: draw two different backends at random and take the one with the
 * lower {@link LeastConnections#load} (cluster-wide connections relative to weight; the first drawn
 * on a tie). Nearly as even as least-connections, but balancers acting on the same stale counts
 * spread their choices instead of all taking the one least loaded backend.
 */
public final class PowerOfTwo implements BalancingStrategy {

  private final IntUnaryOperator random;

  public PowerOfTwo() {
    this(bound -> ThreadLocalRandom.current().nextInt(bound));
  }

  /**
   * @param random given a bound n, a uniform int in [0, n)
   */
  PowerOfTwo(IntUnaryOperator random) {
    this.random = random;
  }

  @Override
  public <T extends Candidate> T choose(List<T> candidates) {
    int size = candidates.size();
    if (size == 1) {
      return candidates.get(0);
    }
    int first = random.applyAsInt(size);
    // A second index among the other size - 1, so the two always differ.
    int second = (first + 1 + random.applyAsInt(size - 1)) % size;
    T a = candidates.get(first);
    T b = candidates.get(second);
    return LeastConnections.load(b) < LeastConnections.load(a) ? b : a;
  }
}
