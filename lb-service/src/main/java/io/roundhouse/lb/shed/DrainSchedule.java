package io.roundhouse.lb.shed;

import java.util.function.DoubleSupplier;

/**
 * When each of {@code n} connections is closed in a drain of {@code period}: connection i (oldest
 * first) at a random instant within the i-th of n equal slices of the period. The closes then come
 * at an even rate, n / period, with no two bunched by chance and none after the period.
 */
final class DrainSchedule {

  private DrainSchedule() {}

  /**
   * @param random uniform in [0, 1)
   * @return nanoseconds from the drain's start, ascending
   */
  static long[] offsets(int n, long periodNanos, DoubleSupplier random) {
    long[] at = new long[n];
    if (n == 0) {
      return at;
    }
    double slice = (double) periodNanos / n;
    for (int i = 0; i < n; i++) {
      at[i] = Math.min(periodNanos, (long) (slice * (i + random.getAsDouble())));
    }
    return at;
  }
}
