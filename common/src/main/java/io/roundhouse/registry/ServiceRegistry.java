package io.roundhouse.registry;

import io.vertx.core.Future;
import java.time.Duration;

/** The cluster-wide list of serving instances. */
public interface ServiceRegistry {

  /** Announces an instance that is ready to serve. */
  Future<Void> register(ServiceInstance instance);

  /**
   * Registers an instance ready to serve and keeps its entry in the registry until withdrawn: it is
   * written again, with this node's current cluster member, whenever it goes missing or stale (a
   * merge after a pause or a split, a purge, lost partitions). Checked after every merge and
   * membership change, and every {@code refresh}.
   */
  Future<Presence> announce(ServiceInstance instance, Duration refresh);

  /** Withdraws an instance, for a graceful stop. */
  Future<Void> deregister(String id);

  /**
   * Pushes the current instances and every later change to {@code listener}, on the caller's
   * context. Instances whose cluster member has left are reported down.
   */
  Future<Watch> watch(RegistryListener listener);

  /** An announced instance, kept registered until withdrawn. */
  interface Presence {

    /** The instance as its entry reads now (its member changes on a merge). */
    ServiceInstance instance();

    /** Removes the entry, after any write already under way, and never writes it again. */
    Future<Void> withdraw();
  }

  /** A registered watch; closing it stops the notifications. */
  interface Watch {
    Future<Void> close();
  }
}
