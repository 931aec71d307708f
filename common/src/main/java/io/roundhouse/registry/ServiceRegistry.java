package io.roundhouse.registry;

import io.vertx.core.Future;

/** The cluster-wide list of serving instances. */
public interface ServiceRegistry {

  /** Announces an instance that is ready to serve. */
  Future<Void> register(ServiceInstance instance);

  /** Withdraws an instance, for a graceful stop. */
  Future<Void> deregister(String id);

  /**
   * Pushes the current instances and every later change to {@code listener}, on the caller's
   * context. Instances whose cluster member has left are reported down.
   */
  Future<Watch> watch(RegistryListener listener);

  /** A registered watch; closing it stops the notifications. */
  interface Watch {
    Future<Void> close();
  }
}
