package io.roundhouse.lb.health;

/**
 * What happened to real traffic sent to a backend, as the frontends report it: the input of passive
 * outlier detection. The frontends say what happened; what counts as a failure is decided here.
 * Called from any event loop.
 */
public interface Outcomes {

  /** Nobody listens. */
  Outcomes NONE =
      new Outcomes() {
        @Override
        public void succeeded(Monitored backend) {}

        @Override
        public void failed(Monitored backend, Throwable error) {}
      };

  /** A connection was spliced, a request answered below 500, an upgrade switched. */
  void succeeded(Monitored backend);

  /** Dialling it failed, or it reset, or it did not answer in time. */
  void failed(Monitored backend, Throwable error);

  /** It answered with {@code status}: a 5xx counts as a failure, anything else as a success. */
  default void answered(Monitored backend, int status) {
    if (status >= 500) {
      failed(backend, new CheckFailure("HTTP " + status));
    } else {
      succeeded(backend);
    }
  }
}
