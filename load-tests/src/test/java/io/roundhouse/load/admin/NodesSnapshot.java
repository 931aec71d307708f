package io.roundhouse.load.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed {@code GET /api/nodes}: which balancer answered, and its backends in its order. */
public record NodesSnapshot(String balancer, List<NodeStats> nodes) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public NodesSnapshot {
    nodes = List.copyOf(nodes);
  }

  public static NodesSnapshot parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("/api/nodes did not return JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path("nodes").isArray()) {
      throw new IllegalArgumentException("/api/nodes returned no \"nodes\" array: " + json);
    }
    List<NodeStats> nodes = new ArrayList<>();
    for (JsonNode n : root.get("nodes")) {
      nodes.add(
          new NodeStats(
              n.path("id").asText(null),
              n.path("service").asText(null),
              n.path("host").asText(""),
              n.path("port").asInt(0),
              n.path("healthy").asBoolean(false),
              n.path("activeConnections").asLong(0),
              n.path("totalConnections").asLong(0),
              n.path("failedConnects").asLong(0),
              optionalLong(n, "reportedActiveConnections"),
              optionalLong(n, "reportedTotalConnections")));
    }
    return new NodesSnapshot(root.path("balancer").asText(""), nodes);
  }

  /** The nodes of one service ({@code "ws"}, {@code "echo"}) by id, in the balancer's order. */
  public Map<String, NodeStats> service(String service) {
    Map<String, NodeStats> byId = new LinkedHashMap<>();
    for (NodeStats n : nodes) {
      if (n.service().equals(service)) {
        byId.put(n.id(), n);
      }
    }
    return byId;
  }

  private static Long optionalLong(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asLong();
  }
}
