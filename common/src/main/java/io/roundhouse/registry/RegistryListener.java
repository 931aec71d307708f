package io.roundhouse.registry;

/** Told of instances that become available or go away. Called on the watcher's context. */
public interface RegistryListener {

  /** A new instance, or a changed entry of a known one. */
  void instanceUp(ServiceInstance instance);

  /** The instance deregistered, or its cluster member left. */
  void instanceDown(String id);
}
