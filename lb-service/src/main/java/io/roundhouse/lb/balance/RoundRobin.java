package io.roundhouse.lb.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Each choice takes the next backend in turn: M choices over N backends land M/N ± 1 on each. */
public final class RoundRobin implements BalancingStrategy {

  private final AtomicLong next = new AtomicLong();

  @Override
  public <T extends Candidate> T choose(List<T> candidates) {
    return candidates.get((int) Math.floorMod(next.getAndIncrement(), (long) candidates.size()));
  }
}
