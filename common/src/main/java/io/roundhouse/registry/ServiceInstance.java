package io.roundhouse.registry;

import io.roundhouse.config.Checks;
import io.vertx.core.json.JsonObject;

/**
 * One serving instance of a backend service, as registered cluster-wide.
 *
 * @param id the node id, unique in the cluster ({@code echo-1})
 * @param service the service name ({@value #ECHO} or {@value #WS})
 * @param host the address clients connect to
 * @param port the port actually bound
 * @param memberId the Hazelcast member that owns the entry; the entry dies with it
 */
public record ServiceInstance(String id, String service, String host, int port, String memberId) {

  public static final String ECHO = "echo";
  public static final String WS = "ws";

  public ServiceInstance {
    Checks.notBlank("id", id);
    Checks.notBlank("service", service);
    Checks.notBlank("host", host);
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port must be bound (1-65535), got " + port);
    }
    Checks.notBlank("memberId", memberId);
  }

  /** The same instance, owned by another member: this node's member after a merge. */
  public ServiceInstance withMemberId(String member) {
    return new ServiceInstance(id, service, host, port, member);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("service", service)
        .put("host", host)
        .put("port", port)
        .put("memberId", memberId);
  }

  public static ServiceInstance fromJson(JsonObject json) {
    return new ServiceInstance(
        json.getString("id"),
        json.getString("service"),
        json.getString("host"),
        json.getInteger("port", 0),
        json.getString("memberId"));
  }
}
