package io.roundhouse.lb.conn;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** {@code GET /api/connections}: one page of the live connection list. */
public final class ConnectionsView {

  private ConnectionsView() {}

  public static JsonObject render(String node, ConnectionRegistry registry, ConnectionQuery query) {
    long now = System.nanoTime();
    List<ConnectionRow> matched =
        registry.snapshot().stream()
            .map(c -> ConnectionRow.of(c, now))
            .filter(query.filter())
            .sorted(query.order())
            .toList();
    JsonArray page = new JsonArray();
    matched.stream()
        .skip(query.offset())
        .limit(query.limit())
        .forEach(row -> page.add(row.toJson()));
    return new JsonObject()
        .put("balancer", node)
        .put("at", System.currentTimeMillis())
        .put("total", registry.size())
        .put("matched", matched.size())
        .put("offset", query.offset())
        .put("limit", query.limit())
        .put("sort", query.sort())
        .put("connections", page);
  }
}
