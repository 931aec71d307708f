package io.roundhouse.lb.limit;

import java.util.concurrent.atomic.AtomicInteger;

/** A cap on connections open at once, shared by every event loop of one frontend. */
public final class ConnectionLimit {

  private final int max;
  private final AtomicInteger open = new AtomicInteger();

  /**
   * @param max the cap; 0 = none
   */
  public ConnectionLimit(int max) {
    this.max = max;
  }

  /** Takes a place if one is free; a taken place is given back with {@link #release()}. */
  public boolean tryAcquire() {
    if (max == 0) {
      open.incrementAndGet();
      return true;
    }
    while (true) {
      int now = open.get();
      if (now >= max) {
        return false;
      }
      if (open.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  public void release() {
    open.decrementAndGet();
  }

  public int open() {
    return open.get();
  }

  public int max() {
    return max;
  }
}
