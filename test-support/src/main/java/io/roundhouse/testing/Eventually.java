package io.roundhouse.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition that becomes true eventually. The deadline is a bound on a hang, never a
 * target: a test that waits here asserts what happens, not how fast.
 */
public final class Eventually {

  /** Long enough for a member to be declared dead and the news to travel, on a busy CI box. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private static final long POLL_MILLIS = 20;

  private Eventually() {}

  public static void until(String what, BooleanSupplier condition) {
    until(DEFAULT_TIMEOUT, what, condition, () -> "");
  }

  public static void until(String what, BooleanSupplier condition, Supplier<?> state) {
    until(DEFAULT_TIMEOUT, what, condition, state);
  }

  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    until(timeout, what, condition, () -> "");
  }

  /**
   * Polls {@code condition} until it holds. A condition that throws (an assertion, a refused
   * connection) counts as not yet; once {@code timeout} has passed, fails with {@code what}, the
   * current {@code state} and the last such failure as the cause.
   */
  public static void until(
      Duration timeout, String what, BooleanSupplier condition, Supplier<?> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (AssertionError | RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "Timed out after " + timeout + " waiting until " + what + "; state: " + state.get(),
            last);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted waiting until " + what, e);
      }
    }
  }
}
