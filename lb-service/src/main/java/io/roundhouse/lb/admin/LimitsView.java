package io.roundhouse.lb.admin;

import io.roundhouse.lb.limit.Limits;
import io.roundhouse.lb.limit.LimitsConfig;
import io.roundhouse.lb.limit.Rejection;
import io.roundhouse.registry.ServiceInstance;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code limits} part of {@code GET /api/frontends}: caps, queues and what they turned away.
 */
final class LimitsView {

  private LimitsView() {}

  static JsonObject render(Limits limits) {
    LimitsConfig c = limits.config();
    JsonObject queues = new JsonObject();
    for (String service : List.of(ServiceInstance.ECHO, ServiceInstance.WS)) {
      queues.put(
          service,
          new JsonObject()
              .put("current", limits.queues().length(service))
              .put("peak", limits.queues().peak(service)));
    }
    JsonObject rejected = new JsonObject();
    for (String protocol : Limits.PROTOCOLS) {
      JsonObject byReason = new JsonObject();
      for (Rejection r : Rejection.values()) {
        byReason.put(r.tag(), (long) limits.rejections(protocol, r));
      }
      rejected.put(protocol, byReason);
    }
    return new JsonObject()
        .put("maxConnections", c.maxConnections())
        .put("tcpOpen", limits.tcp().open())
        .put("httpOpen", limits.http().open())
        .put("backendMaxConnections", c.backendMaxConnections())
        .put("maxQueue", c.maxQueue())
        .put("queueTimeoutMs", c.queueTimeout().toMillis())
        .put("clientMaxConnections", c.clientMaxConnections())
        .put("clientRate", c.clientRate())
        .put("clientBurst", c.clientBurst())
        .put("clientsTracked", limits.clients().tracked())
        .put("queues", queues)
        .put("rejected", rejected);
  }
}
