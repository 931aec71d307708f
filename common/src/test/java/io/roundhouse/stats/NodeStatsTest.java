package io.roundhouse.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The published JSON: UDP counts, loops and fds are added fields, so older readers and writers
 * still fit.
 */
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

  @Test
  void shouldRoundTripLoopsAndFdsWhenNodeReportsThem() {
    NodeStats stats =
        new NodeStats(
            "echo-1",
            "echo",
            3,
            7,
            null,
            List.of(
                new LoopStats("vert.x-eventloop-thread-0", 1, 4),
                new LoopStats("vert.x-eventloop-thread-1", 2, 3)),
            new FdStats(120, 20000));

    JsonObject json = stats.toJson();

    assertThat(json.getJsonArray("loops").getJsonObject(1))
        .isEqualTo(
            new JsonObject()
                .put("thread", "vert.x-eventloop-thread-1")
                .put("active", 2L)
                .put("total", 3L));
    assertThat(json.getJsonObject("fds"))
        .isEqualTo(new JsonObject().put("open", 120L).put("max", 20000L));
    assertThat(NodeStats.fromJson(new JsonObject(json.encode()))).isEqualTo(stats);
  }

  @Test
  void shouldReadNoLoopsAndNoFdsWhenJsonComesFromAnOlderNode() {
    JsonObject old =
        new JsonObject().put("id", "ws-1").put("service", "ws").put("active", 1).put("total", 2);

    NodeStats stats = NodeStats.fromJson(old);

    assertThat(stats.loops()).isEmpty();
    assertThat(stats.fds()).isNull();
    assertThat(stats.toJson()).isEqualTo(new NodeStats("ws-1", "ws", 1, 2).toJson());
  }

  @Test
  void shouldReadThisProcessesFdsWhenOnUnix() {
    FdStats fds = FdStats.current();

    assertThat(fds).isNotNull();
    assertThat(fds.open()).isPositive().isLessThanOrEqualTo(fds.max());
  }
}
