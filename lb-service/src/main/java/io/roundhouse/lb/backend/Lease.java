package io.roundhouse.lb.backend;

import io.roundhouse.lb.health.Outcomes;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lease on a chosen backend: what was obtained from it (a socket, a request) holds one of its
 * active connections until {@link #release()}, which gives it back exactly once. Its holder says
 * how the exchange went ({@link #succeeded()}, {@link #answered(int)}, {@link #failed(Throwable)}):
 * the input of passive health; the dial itself reports only its failures.
 */
public final class Lease<T> {

  private final Backend backend;
  private final T value;
  private final Outcomes outcomes;
  private final Runnable onRelease;
  private final AtomicBoolean released = new AtomicBoolean();

  /**
   * @param outcomes where the holder's word on the exchange goes
   * @param onRelease gives the backend's slot back, once
   */
  Lease(Backend backend, T value, Outcomes outcomes, Runnable onRelease) {
    this.backend = backend;
    this.value = value;
    this.outcomes = outcomes;
    this.onRelease = onRelease;
  }

  public Backend backend() {
    return backend;
  }

  public T value() {
    return value;
  }

  /** The backend served: a splice began, an upgrade switched. */
  public void succeeded() {
    outcomes.succeeded(backend);
  }

  /** The backend answered with {@code status}; a 5xx counts against it. */
  public void answered(int status) {
    outcomes.answered(backend, status);
  }

  /** The backend failed the exchange: reset, timed out, broke the protocol. */
  public void failed(Throwable error) {
    outcomes.failed(backend, error);
  }

  public void release() {
    if (released.compareAndSet(false, true)) {
      onRelease.run();
    }
  }
}
