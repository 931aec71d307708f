package io.roundhouse.lb.balance;

/**
 * What a strategy may know of a backend. Strategies see only this, so the balance package depends
 * on nothing of the balancer's backend bookkeeping.
 */
public interface Candidate {

  /** Connections (or in-flight requests) this balancer has open to it now. */
  long activeConnections();
}
