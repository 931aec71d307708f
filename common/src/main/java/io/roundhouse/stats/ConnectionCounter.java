package io.roundhouse.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Active and total connections of one node, and of each thread that accepted them (the event loops:
 * a few per node); safe to update from every event loop.
 */
public final class ConnectionCounter {

  private final AtomicLong active = new AtomicLong();
  private final AtomicLong total = new AtomicLong();
  private final ConcurrentHashMap<Thread, Loop> loops = new ConcurrentHashMap<>();

  /** The counts of the thread that opened a connection; give it back to {@link #closed(Loop)}. */
  public static final class Loop {
    private final String thread;
    private final AtomicLong active = new AtomicLong();
    private final AtomicLong total = new AtomicLong();

    private Loop(String thread) {
      this.thread = thread;
    }

    LoopStats stats() {
      return new LoopStats(thread, active.get(), total.get());
    }
  }

  /** Counts a connection accepted on the calling thread (its event loop). */
  public Loop opened() {
    active.incrementAndGet();
    total.incrementAndGet();
    Loop loop = loopOfCaller();
    loop.active.incrementAndGet();
    loop.total.incrementAndGet();
    return loop;
  }

  /** A connection {@link #opened()} on {@code loop} closed, on whatever thread. */
  public void closed(Loop loop) {
    active.decrementAndGet();
    loop.active.decrementAndGet();
  }

  /**
   * A connection closed, on the thread that opened it (a Vert.x socket's handlers run on its event
   * loop); from elsewhere use {@link #closed(Loop)}.
   */
  public void closed() {
    closed(loopOfCaller());
  }

  public long active() {
    return active.get();
  }

  public long total() {
    return total.get();
  }

  /** Every thread that opened a connection, by thread name. */
  public List<LoopStats> loops() {
    List<LoopStats> out = new ArrayList<>(loops.size());
    loops.values().forEach(l -> out.add(l.stats()));
    out.sort(Comparator.comparing(LoopStats::thread));
    return out;
  }

  private Loop loopOfCaller() {
    Thread thread = Thread.currentThread();
    Loop loop = loops.get(thread);
    return loop != null ? loop : loops.computeIfAbsent(thread, t -> new Loop(t.getName()));
  }
}
