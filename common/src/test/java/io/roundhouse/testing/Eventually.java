package io.roundhouse.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits, with a generous deadline, for a condition that becomes true eventually. */
public final class Eventually {

  /** Long enough for a member to be declared dead and the news to travel, on a busy CI box. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private Eventually() {}

  public static void until(String what, BooleanSupplier condition) {
    until(DEFAULT_TIMEOUT, what, condition, () -> "");
  }

  public static void until(String what, BooleanSupplier condition, Supplier<?> state) {
    until(DEFAULT_TIMEOUT, what, condition, state);
  }

  /**
   * Polls {@code condition} until it holds; fails with {@code what} and the current {@code state}
   * once {@code timeout} has passed.
   */
  public static void until(
      Duration timeout, String what, BooleanSupplier condition, Supplier<?> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "Timed out after " + timeout + " waiting until " + what + "; state: " + state.get());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted waiting until " + what, e);
      }
    }
  }
}
