package io.roundhouse.lb.conn;

import io.roundhouse.lb.backend.Backend;
import io.roundhouse.stats.FdStats;
import io.roundhouse.stats.NodeStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /api/sockets}: the sockets around the connection list. Each listening port with the
 * connected sockets hanging off it, the event loops' shares, the outbound ephemeral ports taken per
 * backend against the port range (beside each backend's own report of its side), fds against the
 * limit, and TCP states. Kernel figures ({@code /proc/net/tcp}) cover the whole network namespace,
 * every process's sockets; the rest are this process's. Reads files: render on a worker.
 */
public final class SocketsView {

  private final String node;
  private final ConnectionRegistry registry;
  private final List<Listening> listeners;
  private final KernelSockets kernel;

  public SocketsView(String node, ConnectionRegistry registry, List<Listening> listeners) {
    this(node, registry, listeners, Path.of("/proc"));
  }

  SocketsView(String node, ConnectionRegistry registry, List<Listening> listeners, Path proc) {
    this.node = node;
    this.registry = registry;
    this.listeners = List.copyOf(listeners);
    this.kernel = new KernelSockets(proc);
  }

  public JsonObject render(List<Backend> backends) {
    List<LiveConnection> live = registry.snapshot();
    List<KernelSocket> sockets = kernel.tcp();
    FdStats fds = FdStats.current();
    return new JsonObject()
        .put("balancer", node)
        .put("at", System.currentTimeMillis())
        .put("listeners", listeners(live, sockets))
        .put("loops", loops(live))
        .put(
            "fds",
            new JsonObject()
                .put("open", fds == null ? -1 : fds.open())
                .put("limit", fds == null ? -1 : fds.max()))
        .put("ephemeral", ephemeral(backends, live, sockets))
        .put("tcpStates", new JsonObject(new TreeMap<>(countBy(sockets, KernelSocket::state))));
  }

  private JsonArray listeners(List<LiveConnection> live, List<KernelSocket> sockets) {
    JsonArray out = new JsonArray();
    for (Listening l : listeners) {
      JsonObject row =
          new JsonObject()
              .put("frontend", l.frontend())
              .put("transport", l.transport())
              .put("address", l.host() + ":" + l.port())
              .put("sockets", l.sockets())
              .put(
                  "connections",
                  live.stream().filter(c -> c.frontend().equals(l.frontend())).count());
      if (l.transport().equals("tcp")) {
        List<KernelSocket> onPort =
            sockets.stream().filter(s -> s.local().getPort() == l.port()).toList();
        row.put("listeningSockets", onPort.stream().filter(s -> s.state().equals("LISTEN")).count())
            .put(
                "connectedSockets",
                new JsonObject(
                    new TreeMap<>(
                        countBy(
                            onPort.stream().filter(s -> !s.state().equals("LISTEN")).toList(),
                            KernelSocket::state))));
      }
      out.add(row);
    }
    return out;
  }

  private JsonArray loops(List<LiveConnection> live) {
    Map<String, Long> connections = countBy(live, LiveConnection::loop);
    Map<String, Long> accepts = registry.acceptsPerLoop();
    TreeMap<String, JsonObject> rows = new TreeMap<>();
    accepts.forEach(
        (loop, n) -> rows.put(loop, new JsonObject().put("name", loop).put("accepts", n)));
    connections.forEach(
        (loop, n) ->
            rows.computeIfAbsent(loop, k -> new JsonObject().put("name", k).put("accepts", 0L))
                .put("connections", n));
    rows.values().forEach(r -> r.put("connections", r.getLong("connections", 0L)));
    return new JsonArray(List.copyOf(rows.values()));
  }

  /**
   * Per backend, the sockets toward its address:port (any process's, TIME_WAIT included: each holds
   * one local port of the range for that one destination) and this process's live legs.
   */
  private JsonObject ephemeral(
      List<Backend> backends, List<LiveConnection> live, List<KernelSocket> sockets) {
    int[] range = kernel.portRange();
    int size = range[1] - range[0] + 1;
    JsonArray rows = new JsonArray();
    for (Backend b : backends) {
      List<KernelSocket> toward =
          sockets.stream().filter(s -> sameEndpoint(s.remote(), b.host(), b.port())).toList();
      long legs =
          live.stream()
              .filter(c -> b.id().equals(c.backend()) && c.outboundLocal() != null)
              .count();
      rows.add(
          new JsonObject()
              .put("backend", b.id())
              .put("service", b.service())
              .put("address", b.host() + ":" + b.port())
              .put("sockets", toward.size())
              .put("timeWait", toward.stream().filter(s -> s.state().equals("TIME_WAIT")).count())
              .put("liveLegs", legs)
              .put("share", size <= 0 ? 0.0 : (double) toward.size() / size)
              .put("reported", reported(b.reported())));
    }
    return new JsonObject()
        .put("low", range[0])
        .put("high", range[1])
        .put("size", size)
        .put("perBackend", rows);
  }

  /**
   * The backend's own side, as it last reported it: its open connections, per event loop, and its
   * process's fds; null before its first report (loops empty and fds null from an older node).
   */
  private static JsonObject reported(NodeStats stats) {
    if (stats == null) {
      return null;
    }
    FdStats fds = stats.fds();
    return new JsonObject()
        .put("activeConnections", stats.active())
        .put("totalConnections", stats.total())
        .put("loops", stats.loopsJson())
        .put("fds", fds == null ? null : fds.toJson());
  }

  private static boolean sameEndpoint(InetSocketAddress address, String host, int port) {
    return address.getPort() == port
        && (address.getAddress().getHostAddress().equals(host)
            || address.getHostString().equals(host));
  }

  private static <T> Map<String, Long> countBy(List<T> items, Function<T, String> key) {
    return items.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
  }
}
