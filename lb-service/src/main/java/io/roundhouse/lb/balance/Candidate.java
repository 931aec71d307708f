package io.roundhouse.lb.balance;

/**
 * What a strategy may know of a backend. Strategies see only this, so the balance package depends
 * on nothing of the balancer's backend bookkeeping.
 */
public interface Candidate {

  /** Connections (or in-flight requests) this balancer has open to it now. */
  long activeConnections();

  /**
   * Its connections across the cluster, every balancer's included, as best this balancer knows them
   * now; by default its own.
   */
  default long clusterConnections() {
    return activeConnections();
  }

  /**
   * Its share of new connections relative to a full one, in (0, 1]: below 1 while it warms up (slow
   * start). Strategies give a candidate of weight w about w times a full one's share.
   */
  default double weight() {
    return 1.0;
  }
}
