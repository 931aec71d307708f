package io.roundhouse.lb.udp;

import io.roundhouse.config.Checks;
import io.roundhouse.config.ConfigException;
import io.roundhouse.config.Settings;
import java.time.Duration;

/**
 * The UDP frontend's settings: flows to echo-service, on the TCP frontend's port number unless told
 * otherwise.
 *
 * @param enabled whether the balancer listens for UDP at all ({@code LB_UDP})
 * @param port the UDP port ({@code LB_UDP_PORT}; 0 picks a free one)
 * @param idleTimeout a flow with no datagram either way for this long is forgotten and its outbound
 *     socket closed ({@code LB_UDP_IDLE_TIMEOUT})
 * @param maxFlows flows held at once; a new client past it is dropped ({@code LB_UDP_MAX_FLOWS})
 * @param maxFlowsPerClient flows one client address may hold: a flood from many source ports of one
 *     host stops here ({@code LB_UDP_MAX_FLOWS_PER_CLIENT})
 * @param maxDatagram the largest datagram payload relayed; a larger one is dropped and counted
 *     ({@code LB_UDP_MAX_DATAGRAM})
 * @param pendingPerFlow datagrams a new flow keeps while its backend is chosen; past it they are
 *     dropped ({@code LB_UDP_PENDING})
 */
public record UdpConfig(
    boolean enabled,
    int port,
    Duration idleTimeout,
    int maxFlows,
    int maxFlowsPerClient,
    int maxDatagram,
    int pendingPerFlow) {

  public static final boolean DEFAULT_ENABLED = true;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_FLOWS = 4096;
  public static final int DEFAULT_MAX_FLOWS_PER_CLIENT = 1024;
  public static final int DEFAULT_MAX_DATAGRAM = 8192;
  public static final int DEFAULT_PENDING = 16;

  /** The largest payload of one IPv4 UDP datagram. */
  public static final int MAX_UDP_PAYLOAD = 65_507;

  public UdpConfig {
    Checks.port("LB_UDP_PORT", port);
    Checks.positive("LB_UDP_IDLE_TIMEOUT", idleTimeout);
    Checks.positive("LB_UDP_MAX_FLOWS", maxFlows);
    Checks.positive("LB_UDP_MAX_FLOWS_PER_CLIENT", maxFlowsPerClient);
    if (maxDatagram < 1 || maxDatagram > MAX_UDP_PAYLOAD) {
      throw new ConfigException(
          "LB_UDP_MAX_DATAGRAM must be 1-" + MAX_UDP_PAYLOAD + " bytes, got " + maxDatagram);
    }
    Checks.positive("LB_UDP_PENDING", pendingPerFlow);
  }

  /**
   * @param tcpPort the TCP frontend's configured port, the default UDP port
   */
  public static UdpConfig from(Settings s, int tcpPort) {
    return new UdpConfig(
        s.bool("LB_UDP", DEFAULT_ENABLED),
        s.port("LB_UDP_PORT", tcpPort),
        s.duration("LB_UDP_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT),
        s.integer("LB_UDP_MAX_FLOWS", DEFAULT_MAX_FLOWS, 1, 1_000_000),
        s.integer("LB_UDP_MAX_FLOWS_PER_CLIENT", DEFAULT_MAX_FLOWS_PER_CLIENT, 1, 1_000_000),
        s.integer("LB_UDP_MAX_DATAGRAM", DEFAULT_MAX_DATAGRAM, 1, MAX_UDP_PAYLOAD),
        s.integer("LB_UDP_PENDING", DEFAULT_PENDING, 1, 10_000));
  }
}
