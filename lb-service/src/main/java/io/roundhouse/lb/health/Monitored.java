package io.roundhouse.lb.health;

/**
 * What health checking may know of a backend: where it listens and its {@link BackendHealth}.
 * Health sees only this, never the balancer's backend bookkeeping.
 */
public interface Monitored {

  String id();

  String service();

  String host();

  int port();

  BackendHealth health();
}
