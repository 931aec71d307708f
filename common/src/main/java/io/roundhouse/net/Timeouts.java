package io.roundhouse.net;

import java.time.Duration;

/** Converts configured timeouts to the int milliseconds Vert.x options take. */
public final class Timeouts {

  private Timeouts() {}

  /** Milliseconds, capped at {@code Integer.MAX_VALUE} (about 24.8 days); zero stays zero (off). */
  public static int millis(Duration timeout) {
    return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
  }
}
