package io.roundhouse.stats;

import java.util.concurrent.atomic.AtomicLong;

/** Active and total connections of one node; safe to update from every event loop. */
public final class ConnectionCounter {

  private final AtomicLong active = new AtomicLong();
  private final AtomicLong total = new AtomicLong();

  public void opened() {
    active.incrementAndGet();
    total.incrementAndGet();
  }

  public void closed() {
    active.decrementAndGet();
  }

  public long active() {
    return active.get();
  }

  public long total() {
    return total.get();
  }
}
