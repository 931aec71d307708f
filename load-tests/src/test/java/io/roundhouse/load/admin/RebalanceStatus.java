package io.roundhouse.load.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The balancer's {@code GET /api/rebalance}, as far as a load test checks it.
 *
 * @param enabled whether it rebalances at all
 * @param movesPerSecond the cluster-wide rate it is configured with
 * @param windowMovesMax the most moves granted cluster-wide in one second, as it saw them
 */
public record RebalanceStatus(boolean enabled, long movesPerSecond, long windowMovesMax) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static RebalanceStatus parse(String json) throws IOException {
    JsonNode root = JSON.readTree(json);
    if (root == null || !root.has("movesPerSecond")) {
      throw new IOException("not a rebalance status: " + json);
    }
    return new RebalanceStatus(
        root.path("enabled").asBoolean(),
        root.path("movesPerSecond").asLong(),
        root.path("windowMovesMax").asLong());
  }
}
