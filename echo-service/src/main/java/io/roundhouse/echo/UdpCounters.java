package io.roundhouse.echo;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.roundhouse.stats.DatagramStats;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * What the UDP echo counts: datagrams and bytes each way, drops by reason, and peers. Updated on
 * the UDP verticle's event loop, read from any thread (scrapes, the stats publisher).
 */
public final class UdpCounters {

  /** Datagrams, by {@code direction} ({@code in}: accepted for echo, {@code out}: echoed). */
  public static final String DATAGRAMS = "roundhouse.udp.datagrams";

  /** Payload bytes, by {@code direction}, as {@link #DATAGRAMS}. */
  public static final String BYTES = "roundhouse.udp.bytes";

  /**
   * Datagrams not echoed, by {@code reason}: {@code oversized}, {@code empty} (Netty sends no
   * zero-length datagram, so none could be echoed), {@code send_failed}.
   */
  public static final String DROPPED = "roundhouse.udp.dropped";

  /** Peers in the peer table now. */
  public static final String PEERS_ACTIVE = "roundhouse.udp.peers.active";

  /** Peers that entered the table since start (a peer back after its idle expiry counts again). */
  public static final String PEERS = "roundhouse.udp.peers";

  /** Peers evicted from a full table before their idle expiry. */
  public static final String PEERS_EVICTED = "roundhouse.udp.peers.evicted";

  private final AtomicLong datagramsIn = new AtomicLong();
  private final AtomicLong datagramsOut = new AtomicLong();
  private final AtomicLong bytesIn = new AtomicLong();
  private final AtomicLong bytesOut = new AtomicLong();
  private final AtomicLong oversized = new AtomicLong();
  private final AtomicLong empty = new AtomicLong();
  private final AtomicLong sendFailed = new AtomicLong();
  private final AtomicLong peersActive = new AtomicLong();
  private final AtomicLong peersSeen = new AtomicLong();
  private final AtomicLong peersEvicted = new AtomicLong();

  void received(int bytes) {
    datagramsIn.incrementAndGet();
    bytesIn.addAndGet(bytes);
  }

  void sent(int bytes) {
    datagramsOut.incrementAndGet();
    bytesOut.addAndGet(bytes);
  }

  void oversized() {
    oversized.incrementAndGet();
  }

  void empty() {
    empty.incrementAndGet();
  }

  void sendFailed() {
    sendFailed.incrementAndGet();
  }

  void peerAdded() {
    peersSeen.incrementAndGet();
    peersActive.incrementAndGet();
  }

  void peerExpired() {
    peersActive.decrementAndGet();
  }

  void peerEvicted() {
    peersEvicted.incrementAndGet();
    peersActive.decrementAndGet();
  }

  public long datagramsIn() {
    return datagramsIn.get();
  }

  public long datagramsOut() {
    return datagramsOut.get();
  }

  public long bytesIn() {
    return bytesIn.get();
  }

  public long bytesOut() {
    return bytesOut.get();
  }

  public long oversizedDropped() {
    return oversized.get();
  }

  public long emptyDropped() {
    return empty.get();
  }

  public long sendFailures() {
    return sendFailed.get();
  }

  public long peersActive() {
    return peersActive.get();
  }

  public long peersSeen() {
    return peersSeen.get();
  }

  public long peersEvicted() {
    return peersEvicted.get();
  }

  /** The counts as published to the cluster ({@code NodeStats.udp}). */
  public DatagramStats snapshot() {
    return new DatagramStats(
        datagramsIn(),
        datagramsOut(),
        bytesIn(),
        bytesOut(),
        oversizedDropped() + emptyDropped() + sendFailures(),
        peersActive());
  }

  /** Registers the meters reading these counts; the caller removes them when the socket goes. */
  public List<Meter> register(MeterRegistry registry) {
    return List.of(
        counter(registry, DATAGRAMS, "Datagrams", "direction", "in", UdpCounters::datagramsIn),
        counter(registry, DATAGRAMS, "Datagrams", "direction", "out", UdpCounters::datagramsOut),
        counter(registry, BYTES, "Datagram payload bytes", "direction", "in", UdpCounters::bytesIn),
        counter(
            registry, BYTES, "Datagram payload bytes", "direction", "out", UdpCounters::bytesOut),
        counter(
            registry,
            DROPPED,
            "Datagrams not echoed",
            "reason",
            "oversized",
            UdpCounters::oversizedDropped),
        counter(
            registry,
            DROPPED,
            "Datagrams not echoed",
            "reason",
            "empty",
            UdpCounters::emptyDropped),
        counter(
            registry,
            DROPPED,
            "Datagrams not echoed",
            "reason",
            "send_failed",
            UdpCounters::sendFailures),
        Gauge.builder(PEERS_ACTIVE, this, UdpCounters::peersActive)
            .description("Peers in the UDP peer table")
            .register(registry),
        FunctionCounter.builder(PEERS, this, UdpCounters::peersSeen)
            .description("Peers that entered the UDP peer table")
            .register(registry),
        FunctionCounter.builder(PEERS_EVICTED, this, UdpCounters::peersEvicted)
            .description("Peers evicted from a full UDP peer table")
            .register(registry));
  }

  private FunctionCounter counter(
      MeterRegistry registry,
      String name,
      String description,
      String tag,
      String value,
      ToDoubleFunction<UdpCounters> read) {
    return FunctionCounter.builder(name, this, read)
        .description(description)
        .tag(tag, value)
        .register(registry);
  }
}
