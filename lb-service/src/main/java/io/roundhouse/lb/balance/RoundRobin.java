package io.roundhouse.lb.balance;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * Each choice takes the next backend in turn: M choices over N backends of full weight land M/N ± 1
 * on each. A backend of weight w below 1 takes its turn with probability w; a turn it passes goes
 * to a backend drawn at random (taken, again, with probability its weight), so the passed turns
 * spread evenly over the others. If every draw passes, the heaviest takes it.
 */
public final class RoundRobin implements BalancingStrategy {

  private final AtomicLong next = new AtomicLong();
  private final DoubleSupplier random;

  public RoundRobin() {
    this(() -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param random uniform in [0, 1): whether a light backend takes its turn, and who gets a turn it
   *     passes
   */
  RoundRobin(DoubleSupplier random) {
    this.random = random;
  }

  @Override
  public <T extends Candidate> T choose(List<T> candidates) {
    int size = candidates.size();
    T inTurn = candidates.get((int) Math.floorMod(next.getAndIncrement(), (long) size));
    if (takes(inTurn)) {
      return inTurn;
    }
    for (int draw = 1; draw < size; draw++) {
      T drawn = candidates.get(Math.min(size - 1, (int) (random.getAsDouble() * size)));
      if (takes(drawn)) {
        return drawn;
      }
    }
    return heaviest(candidates);
  }

  private boolean takes(Candidate candidate) {
    double weight = candidate.weight();
    return weight >= 1.0 || random.getAsDouble() < weight;
  }

  private static <T extends Candidate> T heaviest(List<T> candidates) {
    T heaviest = candidates.get(0);
    for (T candidate : candidates) {
      if (candidate.weight() > heaviest.weight()) {
        heaviest = candidate;
      }
    }
    return heaviest;
  }
}
