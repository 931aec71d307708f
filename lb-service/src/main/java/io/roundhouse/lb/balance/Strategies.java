package io.roundhouse.lb.balance;

import java.util.function.Supplier;

/** The strategies a balancer can be configured with. */
public enum Strategies {
  ROUND_ROBIN(RoundRobin::new),
  LEAST_CONNECTIONS(LeastConnections::new),
  POWER_OF_TWO(PowerOfTwo::new);

  private final Supplier<BalancingStrategy> factory;

  Strategies(Supplier<BalancingStrategy> factory) {
    this.factory = factory;
  }

  public BalancingStrategy create() {
    return factory.get();
  }
}
