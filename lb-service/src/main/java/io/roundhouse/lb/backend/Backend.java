package io.roundhouse.lb.backend;

import io.roundhouse.lb.balance.Candidate;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.stats.NodeStats;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live backend and what this balancer knows of it. Shared by every event loop, so its counters
 * are atomic and its registry entry is swapped whole.
 */
public final class Backend implements Candidate {

  private volatile ServiceInstance instance;
  private volatile boolean dialFailed;
  private volatile NodeStats reported;
  private final long registeredAt = System.nanoTime();
  private volatile long reportedAt;
  private final AtomicLong active = new AtomicLong();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  public Backend(ServiceInstance instance) {
    this.instance = instance;
  }

  public String id() {
    return instance.id();
  }

  public String service() {
    return instance.service();
  }

  public ServiceInstance instance() {
    return instance;
  }

  /** A fresh registry entry also clears an earlier failed dial: the registry says it is back. */
  void update(ServiceInstance fresh) {
    this.instance = fresh;
    this.dialFailed = false;
  }

  /** Healthy unless its last dial failed (refused, timed out or otherwise). */
  public boolean healthy() {
    return !dialFailed;
  }

  /** A dial to it failed, for whatever reason: skipped while another backend is healthy. */
  public void markDialFailed() {
    dialFailed = true;
    failures.incrementAndGet();
  }

  public void markDialled() {
    dialFailed = false;
  }

  /**
   * Takes one of its connection slots, for a dial and what follows, if fewer than {@code max} are
   * taken ({@code 0}: no cap); given back with {@link #closed()}.
   */
  public boolean tryOpen(int max) {
    while (true) {
      long now = active.get();
      if (max > 0 && now >= max) {
        return false;
      }
      if (active.compareAndSet(now, now + 1)) {
        total.incrementAndGet();
        return true;
      }
    }
  }

  public void closed() {
    active.decrementAndGet();
  }

  /** Connections and in-flight requests it holds, dials under way included. */
  @Override
  public long activeConnections() {
    return active.get();
  }

  public long totalConnections() {
    return total.get();
  }

  public long failedConnects() {
    return failures.get();
  }

  /** Stamps the arrival first, so a reader that sees the report sees its arrival time too. */
  void report(NodeStats stats) {
    this.reportedAt = System.nanoTime();
    this.reported = stats;
  }

  /**
   * When this balancer last heard from the node, on the {@link System#nanoTime()} clock: the
   * arrival of its last report, or its registration before the first report.
   */
  public long lastHeardAt() {
    return reported == null ? registeredAt : reportedAt;
  }

  /** What the node itself last published, or null before its first report. */
  public NodeStats reported() {
    return reported;
  }
}
