package io.roundhouse.lb.backend;

import io.roundhouse.lb.balance.Candidate;
import io.roundhouse.lb.health.BackendHealth;
import io.roundhouse.lb.health.HealthConfig;
import io.roundhouse.lb.health.Monitored;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.stats.NodeStats;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live backend and what this balancer knows of it: its counts and its {@link BackendHealth}.
 * Shared by every event loop, so its counters are atomic and its registry entry is swapped whole.
 */
public final class Backend implements Candidate, Monitored {

  private volatile ServiceInstance instance;
  private volatile Report reported;
  private final long registeredAt = System.nanoTime();
  private final BackendHealth health;
  private final AtomicLong active = new AtomicLong();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile long drainingUntil;

  public Backend(ServiceInstance instance) {
    this(instance, HealthConfig.DEFAULT);
  }

  public Backend(ServiceInstance instance, HealthConfig healthConfig) {
    this.instance = instance;
    this.health = new BackendHealth(healthConfig, registeredAt);
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

  @Override
  public String host() {
    return instance.host();
  }

  @Override
  public int port() {
    return instance.port();
  }

  @Override
  public BackendHealth health() {
    return health;
  }

  /**
   * A fresh registry entry. At another address it is another process: its health starts afresh; at
   * the same one (a re-announcement) nothing changes.
   */
  void update(ServiceInstance fresh) {
    ServiceInstance previous = this.instance;
    this.instance = fresh;
    if (!previous.host().equals(fresh.host()) || previous.port() != fresh.port()) {
      health.reset(System.nanoTime());
    }
  }

  /**
   * In rotation for new connections: not down by the active checks, not ejected and not draining.
   */
  public boolean healthy() {
    return drainingUntil == 0 && health.inRotation(System.nanoTime());
  }

  /**
   * Out of rotation until {@link #undrain}: it is draining, its connections to be gone by {@code
   * untilMillis} (epoch milliseconds, above 0).
   */
  public void drain(long untilMillis) {
    this.drainingUntil = Math.max(1, untilMillis);
  }

  /** Back in rotation (as its health allows). */
  public void undrain() {
    this.drainingUntil = 0;
  }

  public boolean draining() {
    return drainingUntil != 0;
  }

  /** When its drain should be over, epoch milliseconds; 0 when it is not draining. */
  public long drainingUntil() {
    return drainingUntil;
  }

  /** Its slow-start weight: 1 unless it came up within {@code LB_SLOW_START}. */
  @Override
  public double weight() {
    return health.weight(System.nanoTime());
  }

  /** A dial to it failed, for whatever reason: counted for {@link #failedConnects()}. */
  void dialFailed() {
    failures.incrementAndGet();
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

  /**
   * Keeps the node's report with this balancer's own count at its arrival, swapped whole, so a
   * reader sees the three together.
   */
  void report(NodeStats stats) {
    this.reported = new Report(stats, System.nanoTime(), active.get());
  }

  /**
   * When this balancer last heard from the node, on the {@link System#nanoTime()} clock: the
   * arrival of its last report, or its registration before the first report.
   */
  public long lastHeardAt() {
    Report last = reported;
    return last == null ? registeredAt : last.arrivedAt();
  }

  /** What the node itself last published, or null before its first report. */
  public NodeStats reported() {
    Report last = reported;
    return last == null ? null : last.stats();
  }

  /**
   * Its connections cluster-wide: what the node last reported it holds (every balancer's
   * connections to it, and any other client's), corrected by this balancer's own opens and closes
   * since that report arrived, so two balancers choosing between two reports do not both see the
   * old figure. Never below this balancer's own count; that count alone before the first report.
   */
  @Override
  public long clusterConnections() {
    Report last = reported;
    long own = active.get();
    if (last == null) {
      return own;
    }
    return Math.max(own, last.stats().active() + own - last.ownAtArrival());
  }

  /** A node's report, when it arrived, and this balancer's own count then. */
  private record Report(NodeStats stats, long arrivedAt, long ownAtArrival) {}
}
