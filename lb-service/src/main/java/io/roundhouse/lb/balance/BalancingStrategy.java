package io.roundhouse.lb.balance;

import java.util.List;

/** Live backends in, one choice out. Called from every event loop: must be thread-safe. */
public interface BalancingStrategy {

  /** Chooses one of {@code candidates}, which is never empty. */
  <T extends Candidate> T choose(List<T> candidates);
}
