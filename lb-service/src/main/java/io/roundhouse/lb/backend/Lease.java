package io.roundhouse.lb.backend;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lease on a chosen backend: what was obtained from it (a socket, a request) holds one of its
 * active connections until {@link #release()}, which gives it back exactly once.
 */
public final class Lease<T> {

  private final Backend backend;
  private final T value;
  private final Runnable onRelease;
  private final AtomicBoolean released = new AtomicBoolean();

  /**
   * @param onRelease gives the backend's slot back, once
   */
  Lease(Backend backend, T value, Runnable onRelease) {
    this.backend = backend;
    this.value = value;
    this.onRelease = onRelease;
  }

  public Backend backend() {
    return backend;
  }

  public T value() {
    return value;
  }

  public void release() {
    if (released.compareAndSet(false, true)) {
      onRelease.run();
    }
  }
}
