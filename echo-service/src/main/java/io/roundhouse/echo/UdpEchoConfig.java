package io.roundhouse.echo;

import io.roundhouse.config.Checks;
import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import java.time.Duration;

/**
 * The UDP echo's settings. The UDP socket shares the TCP echo's port number ({@code ECHO_PORT}).
 *
 * @param maxDatagram datagrams larger than this many bytes are dropped and counted
 * @param peerIdle a peer that sent nothing for this long leaves the peer table
 * @param maxPeers the peer table's size; past it the longest-silent peer is evicted
 */
public record UdpEchoConfig(int maxDatagram, Duration peerIdle, int maxPeers) {

  /** The largest UDP payload over IPv4 (65535 - 8 UDP header - 20 IP header). */
  public static final int LARGEST_DATAGRAM = 65_507;

  public static final int DEFAULT_MAX_DATAGRAM = LARGEST_DATAGRAM;
  public static final Duration DEFAULT_PEER_IDLE = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_PEERS = 10_000;

  /** The most peers a table may be configured for; each costs about 100 bytes. */
  public static final int MOST_PEERS = 1_000_000;

  public static final UdpEchoConfig DEFAULT =
      new UdpEchoConfig(DEFAULT_MAX_DATAGRAM, DEFAULT_PEER_IDLE, DEFAULT_MAX_PEERS);

  public UdpEchoConfig {
    between("ECHO_UDP_MAX_DATAGRAM", maxDatagram, 1, LARGEST_DATAGRAM);
    Checks.positive("ECHO_UDP_PEER_IDLE", peerIdle);
    between("ECHO_UDP_MAX_PEERS", maxPeers, 1, MOST_PEERS);
  }

  public static UdpEchoConfig from(Settings s) {
    return new UdpEchoConfig(
        s.integer("ECHO_UDP_MAX_DATAGRAM", DEFAULT_MAX_DATAGRAM, 1, LARGEST_DATAGRAM),
        s.duration("ECHO_UDP_PEER_IDLE", DEFAULT_PEER_IDLE),
        s.integer("ECHO_UDP_MAX_PEERS", DEFAULT_MAX_PEERS, 1, MOST_PEERS));
  }

  private static void between(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(name + " must be from " + min + " to " + max + ", got " + value);
    }
  }
}
