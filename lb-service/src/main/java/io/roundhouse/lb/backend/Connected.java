package io.roundhouse.lb.backend;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A value obtained from a chosen backend (a socket, a request) and the backend's count of it;
 * {@link #release()} decrements the count exactly once.
 */
public final class Connected<T> {

  private final Backend backend;
  private final T value;
  private final AtomicBoolean released = new AtomicBoolean();

  Connected(Backend backend, T value) {
    this.backend = backend;
    this.value = value;
    backend.opened();
  }

  public Backend backend() {
    return backend;
  }

  public T value() {
    return value;
  }

  public void release() {
    if (released.compareAndSet(false, true)) {
      backend.closed();
    }
  }
}
