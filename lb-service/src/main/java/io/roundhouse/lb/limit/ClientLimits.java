package io.roundhouse.lb.limit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Per client address: a cap on its open connections and a token bucket on how fast it may open
 * connections and send requests. State lives only while a client has connections open or tokens to
 * win back, so the map stays the size of the active clients.
 */
public final class ClientLimits {

  /** Closes between two sweeps of clients with nothing left to remember. */
  private static final int SWEEP_EVERY = 4096;

  private final int maxConnections;
  private final int rate;
  private final int burst;
  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  private final AtomicInteger untilSweep = new AtomicInteger(SWEEP_EVERY);
  private final LongSupplier nanoClock;

  public ClientLimits(LimitsConfig config) {
    this(config, System::nanoTime);
  }

  /**
   * @param nanoClock the time the buckets refill by, in nanoseconds
   */
  ClientLimits(LimitsConfig config, LongSupplier nanoClock) {
    this.maxConnections = config.clientMaxConnections();
    this.rate = config.clientRate();
    this.burst = config.clientBurst();
    this.nanoClock = nanoClock;
  }

  /** Whether this records anything at all. */
  public boolean enabled() {
    return maxConnections > 0 || rate > 0;
  }

  /**
   * Admits a new connection from {@code address}, or says why not. An admitted connection is given
   * back with {@link #closed(String)}.
   */
  public Rejection admitConnection(String address) {
    if (!enabled()) {
      return null;
    }
    Rejection[] verdict = new Rejection[1];
    long now = nanoClock.getAsLong();
    clients.compute(
        address,
        (key, client) -> {
          Client c = client != null ? client : new Client(burst, now);
          if (maxConnections > 0 && c.connections >= maxConnections) {
            verdict[0] = Rejection.CLIENT_CONNECTIONS;
          } else if (rate > 0 && !c.take(now, rate, burst)) {
            verdict[0] = Rejection.CLIENT_RATE;
          } else {
            c.connections++;
          }
          return c;
        });
    return verdict[0];
  }

  /** One request on an admitted connection: only the rate applies. */
  public Rejection admitRequest(String address) {
    if (rate == 0) {
      return null;
    }
    boolean[] taken = new boolean[1];
    long now = nanoClock.getAsLong();
    clients.compute(
        address,
        (key, client) -> {
          Client c = client != null ? client : new Client(burst, now);
          taken[0] = c.take(now, rate, burst);
          return c;
        });
    return taken[0] ? null : Rejection.CLIENT_RATE;
  }

  public void closed(String address) {
    if (!enabled()) {
      return;
    }
    long now = nanoClock.getAsLong();
    clients.computeIfPresent(
        address,
        (key, c) -> {
          c.connections--;
          return c.forgettable(now, rate, burst) ? null : c;
        });
    if (untilSweep.decrementAndGet() <= 0) {
      untilSweep.set(SWEEP_EVERY);
      clients.entrySet().removeIf(e -> e.getValue().forgettable(now, rate, burst));
    }
  }

  /** Client addresses remembered now. */
  public int tracked() {
    return clients.size();
  }

  /** One address's open connections and bucket; changed only inside the map's compute. */
  private static final class Client {
    int connections;
    double tokens;
    long refilledAt;

    Client(int burst, long now) {
      this.tokens = burst;
      this.refilledAt = now;
    }

    boolean take(long now, int rate, int burst) {
      refill(now, rate, burst);
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }

    private void refill(long now, int rate, int burst) {
      tokens = Math.min(burst, tokens + (now - refilledAt) * rate / 1e9);
      refilledAt = now;
    }

    /** Nothing open and a full bucket: a fresh entry would be the same. */
    boolean forgettable(long now, int rate, int burst) {
      if (connections > 0) {
        return false;
      }
      if (rate == 0) {
        return true;
      }
      refill(now, rate, burst);
      return tokens >= burst;
    }
  }
}
