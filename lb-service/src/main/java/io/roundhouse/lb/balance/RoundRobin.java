package io.roundhouse.lb.balance;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * Each choice takes the next backend in turn: M choices over N backends of full weight land M/N ± 1
 * on each. A backend of weight w below 1 takes its turn with probability w, else passes it to the
 * next; if every one passes, the heaviest takes it.
 */
public final class RoundRobin implements BalancingStrategy {

  private final AtomicLong next = new AtomicLong();
  private final DoubleSupplier random;

  public RoundRobin() {
    this(() -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param random uniform in [0, 1): whether a light backend takes its turn
   */
  RoundRobin(DoubleSupplier random) {
    this.random = random;
  }

  @Override
  public <T extends Candidate> T choose(List<T> candidates) {
    int size = candidates.size();
    int start = (int) Math.floorMod(next.getAndIncrement(), (long) size);
    T heaviest = null;
    double heaviestWeight = -1;
    for (int i = 0; i < size; i++) {
      T candidate = candidates.get((start + i) % size);
      double weight = candidate.weight();
      if (weight >= 1.0 || random.getAsDouble() < weight) {
        return candidate;
      }
      if (weight > heaviestWeight) {
        heaviest = candidate;
        heaviestWeight = weight;
      }
    }
    return heaviest;
  }
}
