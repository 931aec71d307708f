package io.roundhouse.lb;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes; the deadline is a bound, not a target. */
final class Eventually {

  private Eventually() {}

  static void check(Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    AssertionError last = null;
    while (System.nanoTime() < end) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (AssertionError | RuntimeException e) {
        last = e instanceof AssertionError a ? a : new AssertionError(e);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    throw last != null ? last : new AssertionError("condition not met within " + deadline);
  }
}
