package io.roundhouse.lb.udp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the UDP frontend counts: datagrams and bytes read on each leg ({@code inbound}: from
 * clients, {@code outbound}: replies from backends), datagrams dropped by reason, and flows that
 * ended without a single reply. Flows open and opened are {@code
 * roundhouse_connections_*{protocol="udp"}}.
 */
public final class UdpMeters {

  /** Why a datagram was not relayed. */
  public enum Drop {
    /** Larger than {@code LB_UDP_MAX_DATAGRAM}. */
    TOO_LARGE,
    /** A new client while {@code LB_UDP_MAX_FLOWS} flows are held. */
    FLOWS_FULL,
    /** A new flow from an address that holds {@code LB_UDP_MAX_FLOWS_PER_CLIENT}. */
    CLIENT_FLOWS_FULL,
    /** More than {@code LB_UDP_PENDING} datagrams while the flow's backend was being chosen. */
    PENDING_FULL,
    /** No backend could take the flow. */
    NO_BACKEND,
    /** The socket to write to was full (the kernel's buffer): dropped, never queued. */
    UNWRITABLE,
    /** The backend's port refused it (ICMP port unreachable): the flow ends. */
    BACKEND_UNREACHABLE;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Counter inboundDatagrams;
  private final Counter outboundDatagrams;
  private final Counter inboundBytes;
  private final Counter outboundBytes;
  private final Counter unanswered;
  private final Map<Drop, Counter> drops = new EnumMap<>(Drop.class);

  public UdpMeters(MeterRegistry registry) {
    inboundDatagrams = datagrams(registry, "inbound");
    outboundDatagrams = datagrams(registry, "outbound");
    inboundBytes = bytes(registry, "inbound");
    outboundBytes = bytes(registry, "outbound");
    unanswered =
        Counter.builder("roundhouse.udp.flows.unanswered")
            .description("UDP flows that went idle without one reply from their backend")
            .register(registry);
    for (Drop drop : Drop.values()) {
      drops.put(
          drop,
          Counter.builder("roundhouse.udp.dropped")
              .description("Datagrams the UDP frontend did not relay, by reason")
              .tag("reason", drop.tag())
              .register(registry));
    }
  }

  private static Counter datagrams(MeterRegistry registry, String leg) {
    return Counter.builder("roundhouse.udp.datagrams")
        .description("Datagrams read by the UDP frontend, by leg (inbound: clients)")
        .tag("leg", leg)
        .register(registry);
  }

  private static Counter bytes(MeterRegistry registry, String leg) {
    return Counter.builder("roundhouse.udp.bytes")
        .description("Payload bytes read by the UDP frontend, by leg (inbound: clients)")
        .tag("leg", leg)
        .register(registry);
  }

  void fromClient(int bytes) {
    inboundDatagrams.increment();
    inboundBytes.increment(bytes);
  }

  void fromBackend(int bytes) {
    outboundDatagrams.increment();
    outboundBytes.increment(bytes);
  }

  void dropped(Drop drop) {
    drops.get(drop).increment();
  }

  void unanswered() {
    unanswered.increment();
  }
}
