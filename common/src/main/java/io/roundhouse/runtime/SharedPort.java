package io.roundhouse.runtime;

import io.vertx.core.Future;
import java.util.function.IntFunction;

/**
 * One port bound by several listeners of one deployment, each with its own socket ({@code
 * SO_REUSEPORT}): the kernel then spreads new connections over them. With port 0 the first listener
 * binds an ephemeral port and the others wait for it and bind the same one.
 */
public final class SharedPort {

  private final int requested;
  private Future<Integer> first;

  /**
   * @param requested the configured port; 0 or less for one ephemeral port shared by all
   */
  public SharedPort(int requested) {
    this.requested = Math.max(0, requested);
  }

  /**
   * Binds one more listener with {@code binder}, which takes the port to bind and returns the port
   * bound.
   */
  public synchronized Future<Integer> bind(IntFunction<Future<Integer>> binder) {
    if (first == null) {
      first = binder.apply(requested);
      return first;
    }
    return requested != 0 ? binder.apply(requested) : first.compose(binder::apply);
  }
}
