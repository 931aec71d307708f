package io.roundhouse.echo;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The peers the UDP echo has heard from, bounded two ways: a peer silent for the idle time leaves
 * at the next {@link #expire}, and past {@code maxPeers} the longest-silent peer is evicted, so a
 * flood of source ports costs at most {@code maxPeers} entries. Kept in order of last datagram (an
 * access-ordered map), so both walk from the oldest. Confined to one event loop.
 */
final class UdpPeers {

  /** A sender: its address as Vert.x reports it, and its port. */
  record Peer(String host, int port) {}

  private final long idleNanos;
  private final UdpCounters counters;
  private final Map<Peer, Long> lastSeen;

  UdpPeers(int maxPeers, long idleNanos, UdpCounters counters) {
    this.idleNanos = idleNanos;
    this.counters = counters;
    this.lastSeen =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Peer, Long> eldest) {
            if (size() > maxPeers) {
              counters.peerEvicted();
              return true;
            }
            return false;
          }
        };
  }

  /** Notes a datagram from {@code peer} at {@code now} (nanoTime). */
  void seen(Peer peer, long now) {
    if (lastSeen.put(peer, now) == null) {
      counters.peerAdded();
    }
  }

  /** Drops every peer silent for the idle time or longer as of {@code now} (nanoTime). */
  void expire(long now) {
    Iterator<Long> oldestFirst = lastSeen.values().iterator();
    while (oldestFirst.hasNext() && now - oldestFirst.next() >= idleNanos) {
      oldestFirst.remove();
      counters.peerExpired();
    }
  }

  int size() {
    return lastSeen.size();
  }

  /** Forgets every peer (the socket is closing). */
  void clear() {
    lastSeen.keySet().forEach(p -> counters.peerExpired());
    lastSeen.clear();
  }
}
