package io.roundhouse.lb.conn;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every live client socket of this balancer process, shared by its frontends. On the hot path it
 * costs one small entry and one concurrent-set insert per connection and a removal when it ends;
 * nothing per byte beyond the counters the splice already keeps. Reading it (the admin API) copies
 * the set, so a listing never holds up a frontend.
 */
public final class ConnectionRegistry {

  private final Set<LiveConnection> live = ConcurrentHashMap.newKeySet();
  private final Map<String, LongAdder> acceptsPerLoop = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  /** A client connected to a frontend on this loop; counted before any limit turns it away. */
  public void accepted() {
    acceptsPerLoop
        .computeIfAbsent(Thread.currentThread().getName(), name -> new LongAdder())
        .increment();
  }

  /**
   * Lists {@code inbound}'s connection until the channel closes; call on its event loop. The entry
   * hangs on the channel ({@link LiveConnection#of}).
   */
  public LiveConnection open(Kind kind, String frontend, String service, Channel inbound) {
    LiveConnection entry =
        open(
            kind,
            frontend,
            service,
            LiveConnection.address(inbound.remoteAddress()),
            LiveConnection.address(inbound.localAddress()));
    inbound.attr(LiveConnection.KEY).set(entry);
    inbound.closeFuture().addListener(closed -> close(entry));
    return entry;
  }

  /** Lists a connection that has no channel of its own (a UDP flow); {@link #close} forgets it. */
  public LiveConnection open(
      Kind kind,
      String frontend,
      String service,
      InetSocketAddress client,
      InetSocketAddress local) {
    LiveConnection entry =
        new LiveConnection(ids.incrementAndGet(), kind, frontend, service, client, local);
    live.add(entry);
    return entry;
  }

  public void close(LiveConnection entry) {
    live.remove(entry);
  }

  /** Whether {@code entry} is still open. */
  public boolean isLive(LiveConnection entry) {
    return live.contains(entry);
  }

  public int size() {
    return live.size();
  }

  /** A copy of the live entries, in no order. */
  public List<LiveConnection> snapshot() {
    return new ArrayList<>(live);
  }

  /** Accepts so far per event loop (thread name), sorted by name. */
  public Map<String, Long> acceptsPerLoop() {
    Map<String, Long> accepts = new TreeMap<>();
    acceptsPerLoop.forEach((loop, count) -> accepts.put(loop, count.sum()));
    return accepts;
  }
}
