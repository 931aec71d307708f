package io.roundhouse.lb.peer;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one balancer says of itself to the others.
 *
 * @param id its node id
 * @param host the address its public ports listen on
 * @param pid its process id: balancers sharing a port through {@code SO_REUSEPORT} are told apart
 *     by it
 * @param ports its bound ports by name (tcp, http, udp, admin)
 * @param tcp TCP connections it holds
 * @param http HTTP connections it holds (tunnels included until they are spliced)
 * @param webSockets WebSocket tunnels it holds
 * @param udpFlows UDP flows it holds
 * @param draining whether it is draining: it takes no new connections
 * @param startedAtMillis when it started, epoch milliseconds
 */
public record BalancerReport(
    String id,
    String host,
    long pid,
    Map<String, Integer> ports,
    long tcp,
    long http,
    long webSockets,
    long udpFlows,
    boolean draining,
    long startedAtMillis) {

  public BalancerReport {
    ports = Map.copyOf(ports);
  }

  /** Everything it holds now. */
  public long connections() {
    return tcp + http + webSockets + udpFlows;
  }

  public JsonObject toJson() {
    JsonObject portsJson = new JsonObject();
    new TreeMap<>(ports).forEach(portsJson::put);
    return new JsonObject()
        .put("id", id)
        .put("host", host)
        .put("pid", pid)
        .put("ports", portsJson)
        .put("tcp", tcp)
        .put("http", http)
        .put("webSockets", webSockets)
        .put("udpFlows", udpFlows)
        .put("connections", connections())
        .put("draining", draining)
        .put("startedAt", startedAtMillis);
  }

  public static BalancerReport fromJson(JsonObject json) {
    Map<String, Integer> ports = new TreeMap<>();
    JsonObject portsJson = json.getJsonObject("ports", new JsonObject());
    portsJson.fieldNames().forEach(name -> ports.put(name, portsJson.getInteger(name)));
    return new BalancerReport(
        json.getString("id"),
        json.getString("host", ""),
        json.getLong("pid", -1L),
        ports,
        json.getLong("tcp", 0L),
        json.getLong("http", 0L),
        json.getLong("webSockets", 0L),
        json.getLong("udpFlows", 0L),
        json.getBoolean("draining", false),
        json.getLong("startedAt", 0L));
  }
}
