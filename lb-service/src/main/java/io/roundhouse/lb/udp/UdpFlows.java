package io.roundhouse.lb.udp;

import io.netty.channel.Channel;
import io.roundhouse.lb.conn.ConnectionRegistry;
import io.roundhouse.lb.conn.Kind;
import io.roundhouse.registry.ServiceInstance;
import io.roundhouse.stats.ConnectionCounter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One UDP socket's flows, by client address and port, with the caps on how many are held (in all,
 * and per client address) and the idle sweep. Confined to the frontend's event loop.
 */
public final class UdpFlows {

  private final UdpConfig config;
  private final UdpMeters meters;
  private final ConnectionCounter counter;
  private final ConnectionRegistry connections;
  private final long idleNanos;
  private final Map<InetSocketAddress, UdpFlow> byClient = new HashMap<>();
  private final Map<InetAddress, Integer> perAddress = new HashMap<>();

  UdpFlows(
      UdpConfig config,
      UdpMeters meters,
      ConnectionCounter counter,
      ConnectionRegistry connections) {
    this.config = config;
    this.connections = connections;
    this.meters = meters;
    this.counter = counter;
    this.idleNanos = config.idleTimeout().toNanos();
  }

  UdpFlow find(InetSocketAddress client) {
    return byClient.get(client);
  }

  /** A new flow for {@code client}, or null (counted) when a cap stands in the way. */
  UdpFlow admit(InetSocketAddress client, Channel inbound, long now) {
    connections.accepted();
    if (byClient.size() >= config.maxFlows()) {
      meters.dropped(UdpMeters.Drop.FLOWS_FULL);
      return null;
    }
    InetAddress address = client.getAddress();
    int held = perAddress.getOrDefault(address, 0);
    if (held >= config.maxFlowsPerClient()) {
      meters.dropped(UdpMeters.Drop.CLIENT_FLOWS_FULL);
      return null;
    }
    UdpFlow[] self = new UdpFlow[1];
    UdpFlow flow =
        new UdpFlow(client, inbound, meters, config.pendingPerFlow(), now, () -> end(self[0]));
    self[0] = flow;
    byClient.put(client, flow);
    perAddress.put(address, held + 1);
    counter.opened();
    flow.listed(
        connections.open(
            Kind.UDP,
            "udp",
            ServiceInstance.ECHO,
            client,
            (InetSocketAddress) inbound.localAddress()));
    return flow;
  }

  /** Ends a flow and forgets it; safe to call again. */
  void end(UdpFlow flow) {
    if (byClient.remove(flow.client(), flow)) {
      perAddress.computeIfPresent(flow.client().getAddress(), (a, n) -> n > 1 ? n - 1 : null);
      counter.closed();
      connections.close(flow.live());
    }
    flow.end();
  }

  /** Ends every flow idle for the idle timeout or longer. */
  void sweep(long now) {
    List<UdpFlow> idle = new ArrayList<>();
    for (UdpFlow flow : byClient.values()) {
      if (now - flow.lastActive() >= idleNanos) {
        idle.add(flow);
      }
    }
    idle.forEach(this::end);
  }

  void endAll() {
    new ArrayList<>(byClient.values()).forEach(this::end);
  }

  /** How many flows are held. */
  public int size() {
    return byClient.size();
  }

  /** The flows held now; call on the frontend's event loop. */
  List<UdpFlow> list() {
    return List.copyOf(byClient.values());
  }
}
