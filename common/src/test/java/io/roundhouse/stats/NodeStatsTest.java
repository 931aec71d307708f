package io.roundhouse.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The published JSON: UDP counts are an added field, so older readers and writers still fit. */
class NodeStatsTest {

  @Test
  void shouldRoundTripUdpCountsWhenNodeHasUdpSocket() {
    NodeStats stats = new NodeStats("echo-1", "echo", 2, 9, new DatagramStats(5, 4, 50, 40, 1, 3));

    JsonObject json = stats.toJson();

    assertThat(json.getJsonObject("udp").getLong("datagramsIn")).isEqualTo(5);
    assertThat(json.getJsonObject("udp").getLong("peersActive")).isEqualTo(3);
    assertThat(NodeStats.fromJson(json)).isEqualTo(stats);
  }

  @Test
  void shouldWriteTheOldFieldsOnlyWhenNodeHasNoUdpSocket() {
    JsonObject json = new NodeStats("ws-1", "ws", 1, 2).toJson();

    assertThat(json)
        .isEqualTo(
            new JsonObject()
                .put("id", "ws-1")
                .put("service", "ws")
                .put("active", 1L)
                .put("total", 2L));
  }

  @Test
  void shouldReadNoUdpCountsWhenJsonComesFromAnOlderNode() {
    JsonObject old =
        new JsonObject()
            .put("id", "echo-1")
            .put("service", "echo")
            .put("active", 1)
            .put("total", 2);

    assertThat(NodeStats.fromJson(old)).isEqualTo(new NodeStats("echo-1", "echo", 1, 2));
    assertThat(NodeStats.fromJson(old).udp()).isNull();
  }
}
